package dev.chopsticks.operator.network;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Shared shape of the data-store NetworkPolicies: ingress only from this cluster's shard, dashboard and migration pods. */
final class ClientPods {
    private ClientPods() {}

    static NetworkPolicy policy(ChopsticksCluster cluster, String name, Component server, int port) {
        Map<String, String> sameCluster = new TreeMap<>();
        sameCluster.put(Labels.NAME, Labels.APP);
        sameCluster.put(Labels.INSTANCE, cluster.getMetadata().getName());
        return new NetworkPolicyBuilder()
                .withMetadata(Metadata.of(cluster, name, server))
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, server))
                        .build())
                .withPolicyTypes("Ingress")
                .withIngress(new NetworkPolicyIngressRuleBuilder()
                        .withFrom(new NetworkPolicyPeerBuilder()
                                .withPodSelector(new LabelSelectorBuilder()
                                        .withMatchLabels(sameCluster)
                                        .withMatchExpressions(new LabelSelectorRequirementBuilder()
                                                .withKey(Labels.COMPONENT)
                                                .withOperator("In")
                                                .withValues(
                                                        Component.SHARD.label(),
                                                        Component.DASHBOARD.label(),
                                                        Component.MIGRATIONS.label())
                                                .build())
                                        .build())
                                .build())
                        .withPorts(new NetworkPolicyPortBuilder()
                                .withProtocol("TCP")
                                .withPort(new IntOrString(port))
                                .build())
                        .build())
                .endSpec()
                .build();
    }
}
