package dev.chopsticks.operator.network;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
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
