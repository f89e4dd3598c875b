package dev.chopsticks.bot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shard assignment from the operator's env, identify pacing, Shard status reporting and shutdown settings. */
class GatewayConfigTest {

    private static ShardConfig shards(String... kv) {
        return ShardConfig.fromEnv(env(kv));
    }

    private static EnvReader env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new EnvReader(m);
    }

    @Test
    void statefulSetOrdinalPicksTheOperatorsRange() {
        assertThat(shards("SHARD_COUNT", "10", "SHARDS_PER_POD", "4", "POD_NAME", "prod-shards-0")
                        .shardIds())
                .containsExactly(0, 1, 2, 3);
        assertThat(shards("SHARD_COUNT", "10", "SHARDS_PER_POD", "4", "POD_NAME", "prod-shards-1")
                        .shardIds())
                .containsExactly(4, 5, 6, 7);
        // The last pod runs the remainder only.
        assertThat(shards("SHARD_COUNT", "10", "SHARDS_PER_POD", "4", "POD_NAME", "prod-shards-2")
                        .shardIds())
                .containsExactly(8, 9);
        // HOSTNAME when the downward API variable is absent.
        assertThat(shards("SHARD_COUNT", "8", "SHARDS_PER_POD", "2", "HOSTNAME", "my-bot-shards-3")
                        .shardIds())
                .containsExactly(6, 7);
    }

    @Test
    void explicitShardIdsWinAndNoAssignmentMeansAllShards() {
        assertThat(shards("SHARD_COUNT", "8", "SHARDS_PER_POD", "4", "POD_NAME", "x-1", "SHARD_IDS", "6,2-3")
                        .shardIds())
                .containsExactly(2, 3, 6);
        assertThat(shards("SHARD_COUNT", "3", "HOSTNAME", "laptop").shardIds()).containsExactly(0, 1, 2);
    }

    @Test
    void badAssignmentFailsWithOneLineNamingTheVariable() {
        assertThatThrownBy(() -> shards("SHARD_COUNT", "8", "SHARDS_PER_POD", "4", "POD_NAME", "no-ordinal-here"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "POD_NAME: must end in -<ordinal> (StatefulSet pod name) when SHARDS_PER_POD is set, got 'no-ordinal-here'");
        assertThatThrownBy(() -> shards("SHARD_COUNT", "8", "SHARDS_PER_POD", "4"))
                .hasMessageStartingWith("POD_NAME: is required with SHARDS_PER_POD");
        assertThatThrownBy(() -> shards("SHARD_COUNT", "8", "SHARDS_PER_POD", "4", "POD_NAME", "bot-2"))
                .hasMessage(
                        "SHARDS_PER_POD: pod ordinal 2 x 4 shards per pod is past SHARD_COUNT 8 (too many replicas?)");
    }

    @Test
    void identifySettings() {
        IdentifyConfig d = IdentifyConfig.fromEnv(env());
        assertThat(d).isEqualTo(IdentifyConfig.defaults());
        assertThat(d.maxConcurrency()).isEmpty();
        assertThat(d.window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.budgetReserve()).isEqualTo(50);
        IdentifyConfig set = IdentifyConfig.fromEnv(env("MAX_CONCURRENCY", "16", "IDENTIFY_BUDGET_RESERVE", "100"));
        assertThat(set.maxConcurrency()).hasValue(16);
        assertThat(set.budgetReserve()).isEqualTo(100);
        assertThatThrownBy(() -> IdentifyConfig.fromEnv(env("MAX_CONCURRENCY", "0")))
                .hasMessage("MAX_CONCURRENCY: must be an integer from 1 to 4096, got '0'");
    }

    @Test
    void shardStatusReportingIsOnInClusterAndNeedsClusterAndNamespace() {
        assertThat(ShardStatusConfig.fromEnv(env()).enabled()).isFalse();
        ShardStatusConfig on = ShardStatusConfig.fromEnv(
                env("KUBERNETES_SERVICE_HOST", "10.0.0.1", "CHOPSTICKS_CLUSTER", "prod", "POD_NAMESPACE", "bots"));
        assertThat(on.enabled()).isTrue();
        assertThat(on.namePrefix()).contains("prod-");
        // From resharding generation 2 the operator names the Shard objects' prefix.
        assertThat(ShardStatusConfig.fromEnv(env(
                                "KUBERNETES_SERVICE_HOST",
                                "10.0.0.1",
                                "CHOPSTICKS_CLUSTER",
                                "prod",
                                "POD_NAMESPACE",
                                "bots",
                                "SHARD_NAME_PREFIX",
                                "prod-g2-"))
                        .namePrefix())
                .contains("prod-g2-");
        assertThat(on.generation()).isEqualTo(1);
        assertThat(ShardStatusConfig.fromEnv(env("CHOPSTICKS_GENERATION", "2")).generation())
                .isEqualTo(2);
        assertThatThrownBy(() -> ShardStatusConfig.fromEnv(env("CHOPSTICKS_GENERATION", "0")))
                .hasMessage("CHOPSTICKS_GENERATION: must be an integer from 1 to 999999999, got '0'");
        assertThat(on.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ShardStatusConfig.fromEnv(
                                env("KUBERNETES_SERVICE_HOST", "10.0.0.1", "SHARD_STATUS_REPORTING", "false"))
                        .enabled())
                .isFalse();
        assertThatThrownBy(
                        () -> ShardStatusConfig.fromEnv(env("SHARD_STATUS_REPORTING", "true", "POD_NAMESPACE", "bots")))
                .hasMessageStartingWith("CHOPSTICKS_CLUSTER: is required");
        assertThatThrownBy(() -> ShardStatusConfig.fromEnv(env("SHARD_STATUS_REPORTING", "yes")))
                .hasMessage("SHARD_STATUS_REPORTING: must be one of auto|false|true, got 'yes'");
    }

    @Test
    void shutdownGrace() {
        assertThat(LifecycleConfig.fromEnv(env()).shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
        assertThatThrownBy(() -> LifecycleConfig.fromEnv(env("SHUTDOWN_GRACE_SECONDS", "-1")))
                .hasMessage("SHUTDOWN_GRACE_SECONDS: must be an integer from 1 to 3600, got '-1'");
    }
}
