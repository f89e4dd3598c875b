package dev.chopsticks.bot.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.bot.shardstatus.ShardReport;
import dev.chopsticks.bot.shardstatus.ShardStatusReporter;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The identify budget guard against the simulator's session-start budget (window scaled to 1 s). */
class IdentifyBudgetIT {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int RESERVE = 10;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(8)
            .maxConcurrency(1)
            .identifyWindow(WINDOW)
            .build());

    private RedisProcess redis;
    private ShardStatusReporter reporter;
    private final Map<Integer, ShardReport> lastReport = new ConcurrentHashMap<>();

    @BeforeEach
    void fresh() {
        redis = RedisProcess.start();
        sim().setSessionStartLimit(1_000, 1_000);
        sim().resetStats();
    }

    @AfterEach
    void stop() {
        if (reporter != null) {
            reporter.close();
        }
        redis.close();
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private ShardStatusReporter reporter(List<Integer> shards) {
        reporter = new ShardStatusReporter(
                        shards, (id, report) -> lastReport.put(id, report), Duration.ofMillis(200), Clock.systemUTC())
                .start();
        return reporter;
    }

    @Test
    void shardsRefuseBelowTheReserveReportItAndNeverSpendIt() {
        // Two session starts above the reserve: two of four shards may start, the other two must wait.
        sim().setSessionStartLimit(1_000, RESERVE + 2);
        List<Integer> shards = List.of(0, 1, 2, 3);
        try (GatewayPod pod = GatewayPod.start(
                sim(), 4, shards, GatewayPod.identify(1, WINDOW, RESERVE, 20), redis.url(), reporter(shards))) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pod.connectedCount() == 2
                            && lastReport.values().stream()
                                            .filter(r -> r.phase() == ShardPhase.Pending)
                                            .count()
                                    == 2);
            SimStats stats = sim().stats();
            List<ShardReport> refused = lastReport.values().stream()
                    .filter(r -> r.phase() == ShardPhase.Pending)
                    .toList();
            System.out.printf(
                    "budget guard: remaining %d (reserve %d), %d shards READY, refused: %s%n",
                    stats.sessionStartLimit().remaining(),
                    RESERVE,
                    pod.connectedCount(),
                    refused.get(0).message());
            assertThat(stats.sessionStartLimit().remaining()).isEqualTo(RESERVE);
            assertThat(stats.identify().violations()).isEmpty();
            assertThat(stats.budgetExhaustions()).isZero();
            assertThat(refused)
                    .allSatisfy(r -> assertThat(r.message())
                            .startsWith("identify refused: session-start budget remaining " + RESERVE + " <= reserve "
                                    + RESERVE));
            assertThat(pod.meters.get("chopsticks_identify_remaining").gauge().value())
                    .isEqualTo(RESERVE);
            assertThat(pod.meters
                            .get("chopsticks_identify_refused")
                            .tag("reason", "budget")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(2);

            // Discord refills the budget: the waiting shards start on their next attempt.
            sim().setSessionStartLimit(1_000, 1_000);
            await().atMost(Duration.ofSeconds(20)).until(pod::allConnected);
            assertThat(lastReport.values()).allMatch(r -> r.phase() == ShardPhase.Ready && r.message() == null);
            assertThat(sim().stats().identify().violations()).isEmpty();
        }
    }

    @Test
    void aCrashLoopingShardStopsAtItsHourlyCapEvenAcrossRestarts() {
        int cap = 2;
        try (GatewayPod pod = GatewayPod.start(
                sim(),
                1,
                List.of(0),
                GatewayPod.identify(1, WINDOW, RESERVE, cap),
                redis.url(),
                reporter(List.of(0)))) {
            await().atMost(Duration.ofSeconds(20)).until(pod::allConnected);
            // Discord drops the session (op 9, not resumable): JDA identifies again, the second of the hour.
            sim().invalidateSession(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> sim().stats().identifies() == 2 && pod.allConnected());
            // A third time: the cap is reached, the shard stays down and says why.
            sim().invalidateSession(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> lastReport.get(0).phase() == ShardPhase.Pending);
            assertThat(lastReport.get(0).message())
                    .startsWith("identify refused: shard 0 identified 2 times this hour (cap)");
            assertThat(pod.meters
                            .get("chopsticks_identify_refused")
                            .tag("reason", "shard_cap")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
        }
        // The pod restarts (crash loop): the count lives in Redis, so the new process is refused too.
        lastReport.clear();
        reporter.close();
        try (GatewayPod restarted = GatewayPod.start(
                sim(),
                1,
                List.of(0),
                GatewayPod.identify(1, WINDOW, RESERVE, cap),
                redis.url(),
                reporter(List.of(0)))) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> lastReport.containsKey(0) && lastReport.get(0).phase() == ShardPhase.Pending);
            assertThat(restarted.allConnected()).isFalse();
        }
        SimStats stats = sim().stats();
        System.out.printf(
                "shard cap: %d identifies accepted for shard 0 with cap %d across 2 processes%n",
                stats.identifies(), cap);
        assertThat(stats.identifies()).isEqualTo(cap);
        assertThat(stats.identify().violations()).isEmpty();
    }
}
