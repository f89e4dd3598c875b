package dev.chopsticks.bot.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.config.IdentifyConfig;
import dev.chopsticks.bot.gateway.Gateway;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.identify.IdentifyStats;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cross-pod identify queue against the simulator's identify rule: three "pods" (each its own ShardManager and
 * its own Redis client) x 4 shards = 12 shards started at once. The identify window is scaled from Discord's 5 s to
 * 1-2 s (simulator and bot alike) to keep the build fast; everything else is the production path.
 */
class IdentifyQueueIT {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int PODS = 3;
    private static final int PER_POD = 4;
    private static final int SHARDS = PODS * PER_POD;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(48)
            .maxConcurrency(1)
            .identifyWindow(WINDOW)
            .build());

    private RedisProcess redis;
    private final List<GatewayPod> pods = new ArrayList<>();

    /**
     * Pods are separate JVMs in production; here they share one, so the first start would also pay for loading and
     * compiling JDA. One warm-up shard takes that cost out of the measurement.
     */
    @BeforeAll
    static void warmUp() {
        try (RedisProcess warm = RedisProcess.start();
                GatewayPod pod = GatewayPod.start(
                        sim(),
                        1,
                        List.of(0),
                        GatewayPod.identify(1, WINDOW, 50, 20),
                        warm.url(),
                        IdentifyEvents.NONE)) {
            await().atMost(Duration.ofSeconds(30)).until(pod::allConnected);
        }
    }

    @BeforeEach
    void freshRedis() {
        // A fresh Redis per test: no leases, waiters or identify counters left from another test.
        redis = RedisProcess.start();
    }

    @AfterEach
    void stop() {
        pods.forEach(GatewayPod::close);
        pods.clear();
        redis.close();
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    /**
     * Discord's 5 s window is scaled down to keep the build fast: 1 s for max_concurrency 1 (11 gaps), 2 s for 4 (only
     * 2 gaps, where a connect's fixed ~50 ms would otherwise weigh 5 % per gap).
     */
    @ParameterizedTest(name = "max_concurrency {0}, window {1} ms")
    @CsvSource({"1, 1000", "4, 2000"})
    void twelveShardsInThreePodsStartAtOnceWithoutBreakingTheIdentifyRule(int maxConcurrency, long windowMs)
            throws Exception {
        Duration window = Duration.ofMillis(windowMs);
        sim().setIdentifyRule(maxConcurrency, window);
        sim().resetStats();
        IdentifyConfig identify = GatewayPod.identify(maxConcurrency, window, 50, 20);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<GatewayPod>> starting = new ArrayList<>();
        for (int p = 0; p < PODS; p++) {
            List<Integer> ids =
                    IntStream.range(p * PER_POD, (p + 1) * PER_POD).boxed().toList();
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return GatewayPod.start(sim(), SHARDS, ids, identify, redis.url(), IdentifyEvents.NONE);
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (CompletableFuture<GatewayPod> f : starting) {
            pods.add(f.get());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pods.stream().allMatch(GatewayPod::allConnected));
        long lastReady = pods.stream()
                .flatMap(p -> p.connectedAt.values().stream())
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        Duration elapsed = Duration.ofNanos(lastReady - t0);
        long firstIdentify = pods.stream()
                .flatMap(p -> p.identifiedAt.values().stream())
                .mapToLong(Long::longValue)
                .min()
                .orElseThrow();
        long lastIdentify = pods.stream()
                .flatMap(p -> p.identifiedAt.values().stream())
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        // The identify schedule: from the first IDENTIFY until the last one's window has passed (pod start-up,
        // which depends on the machine's load, is not part of it).
        Duration pipeline = Duration.ofNanos(lastIdentify - firstIdentify).plus(window);

        IdentifyStats stats = sim().stats().identify();
        int waves = (SHARDS + maxConcurrency - 1) / maxConcurrency;
        Duration nominal = window.multipliedBy(waves);
        System.out.printf(
                "identify queue: %d shards, %d pods, max_concurrency %d, window %d ms: ceil(12/%d) x window = %d ms;"
                        + " all READY in %d ms (%+.1f %%); identify schedule (first IDENTIFY to last + window) %d ms (%+.1f %%); violations %d,"
                        + " accepted per bucket %s%n",
                SHARDS,
                PODS,
                maxConcurrency,
                window.toMillis(),
                maxConcurrency,
                nominal.toMillis(),
                elapsed.toMillis(),
                percent(elapsed, nominal),
                pipeline.toMillis(),
                percent(pipeline, nominal),
                stats.violations().size(),
                stats.acceptedPerBucket());

        assertThat(stats.violations()).as("identify violations").isEmpty();
        assertThat(stats.acceptedPerBucket().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(SHARDS);
        assertThat(stats.maxAttemptsPerWindow().values()).allMatch(n -> n == 1);
        // The identify schedule spans ceil(12 / max_concurrency) windows, within 10 % either way: not slower (no
        // idle gaps between turns) and not faster (that would take a second IDENTIFY inside a bucket's window).
        assertThat(percent(pipeline, nominal)).isBetween(-10.0, 10.0);
        // All READY: after (waves - 1) windows at the earliest, within 10 % of the nominal span at the latest.
        assertThat(elapsed).isGreaterThanOrEqualTo(window.multipliedBy(waves - 1));
        assertThat(elapsed).isLessThanOrEqualTo(Duration.ofMillis((long) (nominal.toMillis() * 1.10)));
        assertBucketOrder(maxConcurrency);
    }

    private static double percent(Duration measured, Duration nominal) {
        return 100.0 * (measured.toMillis() - nominal.toMillis()) / nominal.toMillis();
    }

    /**
     * Within each bucket, once the pods have registered their waiting shards, the lowest waiting id goes first,
     * whichever pod runs it. (The very first identify of a bucket goes to whichever pod asked first.)
     */
    private void assertBucketOrder(int maxConcurrency) {
        Map<Integer, Long> identified = new HashMap<>();
        pods.forEach(p -> identified.putAll(p.identifiedAt));
        assertThat(identified).hasSize(SHARDS);
        for (int bucket = 0; bucket < maxConcurrency; bucket++) {
            int b = bucket;
            List<Integer> byTime = identified.entrySet().stream()
                    .filter(e -> e.getKey() % maxConcurrency == b)
                    .sorted(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .toList();
            System.out.printf("  bucket %d identify order: %s%n", b, byTime);
            assertThat(byTime.subList(1, byTime.size()))
                    .as("identify order in bucket %d after its first", b)
                    .isSorted();
        }
    }

    @Test
    void aPodThatDiesHoldingTheLeaseStallsTheOthersOnlyUntilTheLeaseExpires() throws Exception {
        sim().setIdentifyRule(1, WINDOW);
        sim().resetStats();
        IdentifyConfig identify = GatewayPod.identify(1, WINDOW, 50, 20);
        Duration lease = IdentifySessionController.inFlightLease(identify);
        // The dying pod: takes bucket 0's lease for its shard 0, as right before sending IDENTIFY, then is killed
        // (its Redis client closes): no renewal, no release.
        var dying = GatewayPod.redis(redis.url());
        RedisIdentifyGate gate =
                new RedisIdentifyGate(dying, Gateway.tokenNamespace(sim().token()), lease, Duration.ofSeconds(60));
        long held;
        try {
            gate.acquire(0, 0);
            held = System.nanoTime();
        } finally {
            dying.close();
        }
        // The survivor shares bucket 0 (max_concurrency 1) and must wait for the lease to expire, not longer.
        GatewayPod survivor =
                GatewayPod.start(sim(), SHARDS, List.of(1, 2), identify, redis.url(), IdentifyEvents.NONE);
        pods.add(survivor);
        await().atMost(Duration.ofSeconds(30)).until(survivor::allConnected);
        Duration firstIdentify = Duration.ofNanos(survivor.identifiedAt.get(1) - held);
        System.out.printf(
                "dead lease holder: lease %d ms, survivor identified %d ms after the holder died%n",
                lease.toMillis(), firstIdentify.toMillis());
        assertThat(firstIdentify).isGreaterThanOrEqualTo(lease.minusMillis(50));
        assertThat(firstIdentify).isLessThanOrEqualTo(lease.plusMillis(600));
        assertThat(sim().stats().identify().violations()).isEmpty();
    }
}
