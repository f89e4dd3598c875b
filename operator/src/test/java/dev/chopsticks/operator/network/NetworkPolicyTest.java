package dev.chopsticks.operator.network;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ExternalRedisSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {

    @Test
    void redisAcceptsOnlyThisClustersBotPods() {
        check(RedisNetworkPolicy.desired(cluster(16_000)), "redis", 6379);
    }

    @Test
    void pgbouncerAcceptsOnlyThisClustersBotPods() {
        check(PgBouncerNetworkPolicy.desired(cluster(16_000)), "pgbouncer", 5432);
    }

    static List<String> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream()
                .map(p -> p.getProtocol() + "/"
                        + (p.getPort() == null ? "any" : p.getPort().getIntVal()))
                .toList();
    }

    static Map<String, String> to(NetworkPolicyEgressRule rule) {
        return rule.getTo() == null || rule.getTo().isEmpty()
                ? Map.of()
                : rule.getTo().get(0).getPodSelector().getMatchLabels();
    }

    @Test
    void shardPodsTakeOnlyTheOpsPortAndReachOnlyWhatTheyUse() {
        NetworkPolicy np = ShardNetworkPolicy.desired(cluster(16_000), 5432);
        assertThat(np.getMetadata().getName()).isEqualTo("chopsticks-shards");
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "shard")
                .containsEntry("app.kubernetes.io/instance", NAME);
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom())
                    .as("probes and Prometheus come from anywhere")
                    .isNullOrEmpty();
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
        });
        List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
        assertThat(egress).hasSize(4);
        assertThat(ports(egress.get(0))).containsExactly("UDP/53", "TCP/53");
        assertThat(ports(egress.get(1))).as("Discord, the API server").containsExactly("TCP/443", "TCP/6443");
        assertThat(to(egress.get(1))).isEmpty();
        assertThat(ports(egress.get(2))).containsExactly("TCP/5432");
        assertThat(to(egress.get(2)))
                .containsEntry("app.kubernetes.io/component", "pgbouncer")
                .containsEntry("app.kubernetes.io/instance", NAME);
        assertThat(ports(egress.get(3))).containsExactly("TCP/6379");
        assertThat(to(egress.get(3))).containsEntry("app.kubernetes.io/component", "redis");
    }

    @Test
    void overridesAndExternalServicesOpenTheirPortsOnly() {
        var spec = spec(16_000);
        var b = spec.bot();
        spec = withBot(
                spec,
                new BotSpec(
                        b.image(),
                        b.discordToken(),
                        "ws://discord-sim.sim.svc:8090/gateway",
                        "http://discord-sim.sim.svc:8091/api",
                        b.resources(),
                        b.pgPool(),
                        b.cache(),
                        b.env()));
        spec = withPgBouncer(spec, new PgBouncerSpec(false, null, null, null, null, null, null));
        var r = spec.redis();
        spec = withRedis(
                spec,
                new RedisSpec(
                        RedisMode.EXTERNAL,
                        r.image(),
                        r.maxMemory(),
                        r.maxMemoryPolicy(),
                        r.appendOnly(),
                        r.storageSize(),
                        r.resources(),
                        new ExternalRedisSpec(null, List.of("redis-0.cache:7000", "redis-1.cache:7001"))));
        List<NetworkPolicyEgressRule> egress =
                ShardNetworkPolicy.desired(cluster(spec), 15432).getSpec().getEgress();
        assertThat(ports(egress.get(1))).containsExactly("TCP/443", "TCP/6443", "TCP/8090", "TCP/8091");
        assertThat(ports(egress.get(2))).as("PostgreSQL itself").containsExactly("TCP/15432");
        assertThat(to(egress.get(2))).isEmpty();
        assertThat(ports(egress.get(3))).containsExactly("TCP/7000", "TCP/7001");
    }

    @Test
    void theDashboardAlsoReachesTheShardPodsOpsPort() {
        List<NetworkPolicyEgressRule> egress = DashboardNetworkPolicy.desired(
                        cluster(withDashboard(spec(16_000))), 5432)
                .getSpec()
                .getEgress();
        assertThat(egress).hasSize(5);
        assertThat(ports(egress.get(4))).containsExactly("TCP/8080");
        assertThat(to(egress.get(4))).containsEntry("app.kubernetes.io/component", "shard");
    }

    @Test
    void migrationsTakeNothingAndReachOnlyPostgres() {
        NetworkPolicy np = MigrationsNetworkPolicy.desired(cluster(16_000), 5432);
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getIngress()).isEmpty();
        assertThat(np.getSpec().getEgress()).hasSize(2);
        assertThat(ports(np.getSpec().getEgress().get(1))).containsExactly("TCP/5432");
    }

    private static void check(NetworkPolicy np, String server, int port) {
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", server)
                .containsEntry("app.kubernetes.io/instance", NAME);
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(port));
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/instance", NAME)
                        .containsEntry("app.kubernetes.io/name", "chopsticks");
                assertThat(peer.getPodSelector().getMatchExpressions())
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.getKey()).isEqualTo("app.kubernetes.io/component");
                            assertThat(e.getOperator()).isEqualTo("In");
                            assertThat(e.getValues()).containsExactlyInAnyOrder("shard", "dashboard", "migrations");
                        });
            });
        });
    }
}
