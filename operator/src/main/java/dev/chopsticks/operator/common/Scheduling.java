package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;

/** Where the scheduler puts the operator's replicated pods. */
public final class Scheduling {
    private Scheduling() {}

    /** The component's pods spread over nodes as far as possible, never left Pending for it (one node loses few). */
    public static TopologySpreadConstraint spreadOverNodes(ChopsticksCluster cluster, Component component) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withLabelSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, component))
                        .build())
                .build();
    }
}
