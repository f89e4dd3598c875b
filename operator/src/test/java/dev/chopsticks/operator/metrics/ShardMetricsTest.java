package dev.chopsticks.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.IdentifyStatus;
import dev.chopsticks.api.v1alpha1.RolloutStatus;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardSpec;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMetricsTest {
    private static final ResourceID CLUSTER = new ResourceID("chopsticks", "bots");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ShardMetrics metrics = new ShardMetrics(registry);

    static Shard shard(
            int generation, int id, int count, ShardPhase phase, Integer guilds, Long ping, Integer identifyRemaining) {
        Shard s = new Shard(
                "bots", "chopsticks-g" + generation + "-" + id, new ShardSpec("chopsticks", id, count, generation));
        s.setStatus(new ShardStatus(
                id + "/" + count,
                phase,
                guilds,
                ping,
                null,
                null,
                null,
                null,
                null,
                null,
                identifyRemaining,
                identifyRemaining == null ? null : 1000));
        return s;
    }

    static ChopsticksClusterStatus status(
            IdentifyStatus identify, RolloutStatus rollout, List<StatusCondition> conditions) {
        return new ChopsticksClusterStatus(1L, null, conditions, 2, 1, 10L, identify, rollout);
    }

    private Double value(String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        return g == null ? null : g.value();
    }

    private int series(String name) {
        return registry.find(name).meters().size();
    }

    @Test
    void exportsReadyPhaseGuildsAndPingPerShard() {
        metrics.record(
                CLUSTER,
                status(null, null, null),
                List.of(
                        shard(1, 0, 2, ShardPhase.Ready, 1200, 42L, null),
                        shard(1, 1, 2, ShardPhase.Identifying, null, null, null)));

        assertThat(value(
                        ShardMetrics.SHARD_READY,
                        "cluster",
                        "chopsticks",
                        "namespace",
                        "bots",
                        "shard",
                        "0",
                        "generation",
                        "1"))
                .isEqualTo(1.0);
        assertThat(value(ShardMetrics.SHARD_READY, "shard", "1")).isEqualTo(0.0);
        assertThat(value(ShardMetrics.SHARD_PHASE, "shard", "0", "phase", "Ready"))
                .isEqualTo(1.0);
        assertThat(value(ShardMetrics.SHARD_PHASE, "shard", "0", "phase", "Identifying"))
                .isEqualTo(0.0);
        assertThat(value(ShardMetrics.SHARD_PHASE, "shard", "1", "phase", "Identifying"))
                .isEqualTo(1.0);
        assertThat(series(ShardMetrics.SHARD_PHASE))
                .as("one series per phase and shard")
                .isEqualTo(2 * ShardPhase.values().length);
        assertThat(value(ShardMetrics.SHARD_GUILDS, "shard", "0")).isEqualTo(1200.0);
        assertThat(value(ShardMetrics.GATEWAY_PING_MS, "shard", "0")).isEqualTo(42.0);
        assertThat(value(ShardMetrics.SHARD_GUILDS, "shard", "1"))
                .as("not reported: no series")
                .isNull();
        assertThat(value(ShardMetrics.GATEWAY_PING_MS, "shard", "1")).isNull();
    }

    @Test
    void followsPhaseChangesOnTheSameSeries() {
        metrics.record(CLUSTER, status(null, null, null), List.of(shard(1, 0, 1, ShardPhase.Ready, 5, 30L, null)));
        metrics.record(
                CLUSTER, status(null, null, null), List.of(shard(1, 0, 1, ShardPhase.Disconnected, null, null, null)));

        assertThat(value(ShardMetrics.SHARD_READY, "shard", "0")).isEqualTo(0.0);
        assertThat(value(ShardMetrics.SHARD_PHASE, "shard", "0", "phase", "Ready"))
                .isEqualTo(0.0);
        assertThat(value(ShardMetrics.SHARD_PHASE, "shard", "0", "phase", "Disconnected"))
                .isEqualTo(1.0);
        assertThat(value(ShardMetrics.SHARD_GUILDS, "shard", "0"))
                .as("value gone: series removed")
                .isNull();
    }

    @Test
    void identifyRemainingComesFromTheStatusElseTheLowestShardReportAndIsAbsentWhenUnknown() {
        metrics.record(
                CLUSTER, status(null, null, null), List.of(shard(1, 0, 1, ShardPhase.Starting, null, null, null)));
        assertThat(series(ShardMetrics.IDENTIFY_REMAINING))
                .as("unknown is no series, not 0")
                .isZero();

        metrics.record(
                CLUSTER,
                status(null, null, null),
                List.of(
                        shard(1, 0, 2, ShardPhase.Ready, null, null, 900),
                        shard(1, 1, 2, ShardPhase.Ready, null, null, 850)));
        assertThat(value(ShardMetrics.IDENTIFY_REMAINING, "cluster", "chopsticks", "namespace", "bots"))
                .isEqualTo(850.0);

        metrics.record(
                CLUSTER,
                status(new IdentifyStatus(5, 995, 1000), null, null),
                List.of(shard(1, 0, 1, ShardPhase.Ready, null, null, 850)));
        assertThat(value(ShardMetrics.IDENTIFY_REMAINING)).isEqualTo(995.0);

        metrics.record(CLUSTER, status(null, null, null), List.of());
        assertThat(series(ShardMetrics.IDENTIFY_REMAINING)).isZero();
    }

    @Test
    void rolloutHaltedFromHaltedReasonOrCondition() {
        metrics.record(CLUSTER, status(null, null, null), List.of());
        assertThat(value(ShardMetrics.ROLLOUT_HALTED, "cluster", "chopsticks")).isEqualTo(0.0);

        metrics.record(
                CLUSTER,
                status(null, new RolloutStatus("abc", 3, "bucket 1 of 4", 1, "shard 2 not Ready"), null),
                List.of());
        assertThat(value(ShardMetrics.ROLLOUT_HALTED)).isEqualTo(1.0);

        var degraded = new StatusCondition("Degraded", "True", "RolloutHalted", "bucket 1 of 4", null, 1L);
        metrics.record(CLUSTER, status(null, null, List.of(degraded)), List.of());
        assertThat(value(ShardMetrics.ROLLOUT_HALTED)).isEqualTo(1.0);

        var cleared = new StatusCondition("Degraded", "False", "AsExpected", "", null, 1L);
        metrics.record(CLUSTER, status(null, null, List.of(cleared)), List.of());
        assertThat(value(ShardMetrics.ROLLOUT_HALTED)).isEqualTo(0.0);
    }

    @Test
    void reshardKeepsGenerationsApartAndDropsTheRetiredGenerationsSeries() {
        List<Shard> both = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            both.add(shard(1, i, 16, ShardPhase.Ready, 100, 20L, null));
        }
        for (int i = 0; i < 30; i++) {
            both.add(shard(2, i, 30, ShardPhase.Starting, null, null, null));
        }
        metrics.record(CLUSTER, status(null, null, null), both);
        assertThat(series(ShardMetrics.SHARD_READY)).isEqualTo(46);
        assertThat(value(ShardMetrics.SHARD_READY, "shard", "3", "generation", "1"))
                .isEqualTo(1.0);
        assertThat(value(ShardMetrics.SHARD_READY, "shard", "3", "generation", "2"))
                .isEqualTo(0.0);

        Shard terminating = shard(1, 0, 16, ShardPhase.Ready, 100, 20L, null);
        terminating.getMetadata().setDeletionTimestamp("2025-06-01T12:00:00Z");
        List<Shard> after = new ArrayList<>(both.subList(16, 46));
        after.add(terminating);
        metrics.record(CLUSTER, status(null, null, null), after);

        assertThat(series(ShardMetrics.SHARD_READY)).isEqualTo(30);
        assertThat(series(ShardMetrics.SHARD_PHASE)).isEqualTo(30 * ShardPhase.values().length);
        assertThat(series(ShardMetrics.SHARD_GUILDS)).isZero();
        assertThat(series(ShardMetrics.GATEWAY_PING_MS)).isZero();
        assertThat(registry.find(ShardMetrics.SHARD_READY)
                        .tag("generation", "1")
                        .meters())
                .isEmpty();
    }

    @Test
    void forgettingTheClusterRemovesAllItsSeriesOnly() {
        ResourceID other = new ResourceID("other", "bots");
        metrics.record(
                CLUSTER,
                status(new IdentifyStatus(1, 999, 1000), null, null),
                List.of(shard(1, 0, 1, ShardPhase.Ready, 1, 1L, null)));
        metrics.record(other, status(null, null, null), List.of(shard(1, 0, 1, ShardPhase.Ready, 1, 1L, null)));

        metrics.forget(CLUSTER);

        assertThat(registry.getMeters())
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("cluster")).isEqualTo("other"));
    }

    @Test
    void prometheusScrapeUsesTheContractsNames() {
        var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ShardMetrics(prometheus)
                .record(
                        CLUSTER,
                        status(new IdentifyStatus(1, 999, 1000), null, null),
                        List.of(shard(1, 7, 8, ShardPhase.Ready, 2400, 35L, 999)));

        String text = prometheus.scrape();

        assertThat(text)
                .contains(
                        "chopsticks_shard_ready{cluster=\"chopsticks\",generation=\"1\",namespace=\"bots\",shard=\"7\"} 1.0")
                .contains(
                        "chopsticks_shard_phase{cluster=\"chopsticks\",generation=\"1\",namespace=\"bots\",phase=\"Ready\","
                                + "shard=\"7\"} 1.0")
                .contains(
                        "chopsticks_shard_guilds{cluster=\"chopsticks\",generation=\"1\",namespace=\"bots\",shard=\"7\"} "
                                + "2400.0")
                .contains("chopsticks_gateway_ping_ms{cluster=\"chopsticks\",generation=\"1\",namespace=\"bots\","
                        + "shard=\"7\"} 35.0")
                .contains("chopsticks_identify_remaining{cluster=\"chopsticks\",namespace=\"bots\"} 999.0")
                .contains("chopsticks_rollout_halted{cluster=\"chopsticks\",namespace=\"bots\"} 0.0");
        assertThat(MetricContract.operatorMetrics())
                .isNotEmpty()
                .allSatisfy(name -> assertThat(MetricContract.families(text)).contains(name));
    }
}
