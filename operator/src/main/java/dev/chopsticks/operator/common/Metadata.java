package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Object metadata of owned resources. Owner references are added by JOSDK when the resource is applied. */
public final class Metadata {
    private Metadata() {}

    public static ObjectMeta of(ChopsticksCluster cluster, String name, Component component) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(Labels.common(cluster, component))
                .build();
    }
}
