package dev.chopsticks.operator.network;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Metadata;
import dev.chopsticks.operator.common.Ports;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;

/**
 * The NetworkPolicies of the cluster's own pods. Shard pods: ingress only on the ops port (probes, Prometheus, the
 * dashboard), egress to DNS, Discord and the API server, PgBouncer (or PostgreSQL) and Redis. Dashboard: ingress on
 * its HTTP port, egress to DNS, the API server, the database, Redis and the shard pods' ops port. Migrations: no
 * ingress, egress to DNS and PostgreSQL. Everything else is denied.
 */
public final class ComponentPolicies {
    private ComponentPolicies() {}

    public static NetworkPolicy shards(ChopsticksCluster cluster, String name, int postgresPort) {
        return policy(
                cluster,
                name,
                Component.SHARD,
                true,
                List.of(
                        Egress.dns(),
                        Egress.discordAndApiServer(cluster.getSpec().bot()),
                        Egress.database(cluster, postgresPort),
                        Egress.redis(cluster)));
    }

    public static NetworkPolicy dashboard(ChopsticksCluster cluster, String name, int postgresPort) {
        return policy(
                cluster,
                name,
                Component.DASHBOARD,
                true,
                List.of(
                        Egress.dns(),
                        Egress.discordAndApiServer(cluster.getSpec().bot()),
                        Egress.database(cluster, postgresPort),
                        Egress.redis(cluster),
                        Egress.shardPods(cluster)));
    }

    public static NetworkPolicy migrations(ChopsticksCluster cluster, String name, int postgresPort) {
        return policy(cluster, name, Component.MIGRATIONS, false, List.of(Egress.dns(), Egress.postgres(postgresPort)));
    }

    private static NetworkPolicy policy(
            ChopsticksCluster cluster,
            String name,
            Component component,
            boolean httpIngress,
            List<NetworkPolicyEgressRule> egress) {
        return new NetworkPolicyBuilder()
                .withMetadata(Metadata.of(cluster, name, component))
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Labels.selector(cluster, component))
                        .build())
                .withPolicyTypes("Ingress", "Egress")
                .withIngress(
                        httpIngress
                                ? List.of(new NetworkPolicyIngressRuleBuilder()
                                        .withPorts(new NetworkPolicyPortBuilder()
                                                .withProtocol("TCP")
                                                .withPort(new IntOrString(Ports.HTTP))
                                                .build())
                                        .build())
                                : List.of())
                .withEgress(egress)
                .endSpec()
                .build();
    }
}
