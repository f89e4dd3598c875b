package dev.chopsticks.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

    @Test
    void defaults() {
        OperatorConfig c = OperatorConfig.fromEnv(Map.of());
        assertThat(c.watchesAllNamespaces()).isTrue();
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.leaderElection()).isTrue();
        assertThat(c.leaseName()).isEqualTo("chopsticks-operator");
        assertThat(c.leaseNamespace()).isEmpty();
        assertThat(c.reconcileThreads()).isEqualTo(5);
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void everything() {
        OperatorConfig c = OperatorConfig.fromEnv(Map.of(
                "WATCH_NAMESPACES",
                " bots, staging ,",
                "OPERATOR_HTTP_PORT",
                "9090",
                "LEADER_ELECTION_ENABLED",
                "false",
                "LEADER_ELECTION_NAMESPACE",
                "ops",
                "POD_NAME",
                "op-1",
                "RECONCILE_THREADS",
                "8",
                "RESYNC_INTERVAL",
                "2m"));
        assertThat(c.watchNamespaces()).isEqualTo(Set.of("bots", "staging"));
        assertThat(c.httpPort()).isEqualTo(9090);
        assertThat(c.leaderElection()).isFalse();
        assertThat(c.leaseNamespace()).contains("ops");
        assertThat(c.identity()).contains("op-1");
        assertThat(c.reconcileThreads()).isEqualTo(8);
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void leaseNamespaceFallsBackToPodNamespace() {
        assertThat(OperatorConfig.fromEnv(Map.of("POD_NAMESPACE", "chopsticks-system"))
                        .leaseNamespace())
                .contains("chopsticks-system");
    }

    @Test
    void errorsNameTheVariable() {
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("OPERATOR_HTTP_PORT", "http")))
                .isInstanceOf(OperatorConfigException.class)
                .hasMessage("OPERATOR_HTTP_PORT must be an integer from 0 to 65535, got 'http'");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("WATCH_NAMESPACES", "Bots")))
                .hasMessageStartingWith("WATCH_NAMESPACES must be");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION_ENABLED", "maybe")))
                .hasMessage("LEADER_ELECTION_ENABLED must be true or false, got 'maybe'");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("RESYNC_INTERVAL", "soon")))
                .hasMessageStartingWith("RESYNC_INTERVAL must be a duration");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LOG_FORMAT", "xml")))
                .hasMessageStartingWith("LOG_FORMAT must be json or text");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION_NAMESPACE", "Not_A_Namespace")))
                .extracting(e -> ((OperatorConfigException) e).variable())
                .isEqualTo("LEADER_ELECTION_NAMESPACE");
    }

    @Test
    void maxPlannedShards() {
        assertThat(OperatorConfig.fromEnv(Map.of()).maxPlannedShards()).isEqualTo(20_000);
        assertThat(OperatorConfig.fromEnv(Map.of("MAX_PLANNED_SHARDS", "500")).maxPlannedShards())
                .isEqualTo(500);
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("MAX_PLANNED_SHARDS", "0")))
                .hasMessageContaining("MAX_PLANNED_SHARDS")
                .hasMessageContaining("from 1 to 100000");
    }
}
