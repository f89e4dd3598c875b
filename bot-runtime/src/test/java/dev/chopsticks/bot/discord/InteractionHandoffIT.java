package dev.chopsticks.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.cache.ResilientRedis;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.testinfra.RedisProcess;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two shard generations side by side on a real Redis, each a "pod" with its own Redis client, breaker, timers and
 * event thread, receiving the same interaction ids as Discord delivers them to one shard of each generation during
 * resharding. Every interaction must be handled exactly once, whatever the roles are when it arrives.
 */
@ExtendWith(RealServices.class)
class InteractionHandoffIT {
    private static final int N = 200;
    private static final Duration STANDBY_DELAY = Duration.ofMillis(750);

    /** Interaction id -> the pods that handled it (exactly one expected). */
    private final Map<Long, List<String>> handledBy = new ConcurrentHashMap<>();
    /** Interaction id -> nanoTime it was delivered to the first pod, to check the standby's wait. */
    private final Map<Long, Long> deliveredAt = new ConcurrentHashMap<>();

    private final Map<Long, Long> handledAt = new ConcurrentHashMap<>();
    private final AtomicInteger handlings = new AtomicInteger();
    private final RedisProcess sharedRedis;
    private final List<Pod> pods = new CopyOnWriteArrayList<>();

    InteractionHandoffIT(RedisProcess sharedRedis) {
        this.sharedRedis = sharedRedis;
    }

    @AfterEach
    void stopPods() {
        pods.forEach(Pod::close);
    }

    /** One bot process of one generation. */
    private final class Pod implements AutoCloseable {
        final String name;
        final AtomicBoolean active;
        final RedisConnector connector;
        final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        /** JDA delivers a shard's events in order on its event thread. */
        final ExecutorService eventThread = Executors.newSingleThreadExecutor();

        final InteractionHandoff handoff;

        Pod(String name, int generation, boolean active, RedisProcess redis) {
            this.name = name;
            this.active = new AtomicBoolean(active);
            // A generous timeout: a busy CI machine must not turn a slow SET into "unavailable" (that is a later test).
            RedisConfig config =
                    RedisConfig.fromEnv(new EnvReader(Map.of("REDIS_URL", redis.url(), "REDIS_TIMEOUT_MS", "2000")));
            connector = new RedisConnector(config);
            ResilientRedis resilient = new ResilientRedis(
                    connector,
                    CircuitBreaker.of(
                            "redis-" + name,
                            ResilientRedis.breakerConfig(config.commandTimeout(), Duration.ofSeconds(30))),
                    config.commandTimeout());
            InteractionClaims claims =
                    new RedisInteractionClaims(resilient, RedisInteractionClaims.owner(generation, name));
            handoff = new InteractionHandoff(
                    this.active::get,
                    Optional.of(claims),
                    STANDBY_DELAY,
                    InteractionHandoff.Timer.of(timers),
                    handlers,
                    new InteractionClaimMetrics(meters));
            pods.add(this);
        }

        /** Delivers the interactions on this pod's event thread; completes when all were offered. */
        CompletableFuture<Void> deliver(List<Long> ids) {
            return CompletableFuture.runAsync(
                    () -> ids.forEach(id -> {
                        deliveredAt.putIfAbsent(id, System.nanoTime());
                        handoff.offer(id, () -> {
                            handledAt.put(id, System.nanoTime());
                            handledBy
                                    .computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                                    .add(name);
                            handlings.incrementAndGet();
                        });
                    }),
                    eventThread);
        }

        double claims(String outcome, String role) {
            return meters.get("chopsticks.interaction.claims")
                    .tag("outcome", outcome)
                    .tag("role", role)
                    .counter()
                    .count();
        }

        /** Claims that have completed, whatever their outcome. */
        double claimsDone() {
            return meters.get("chopsticks.interaction.claims").counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
        }

        /** Handlings the claims decided on (counted before the hand-off to the executor). */
        double handlingsDecided() {
            return claims("claimed", "active") + claims("claimed", "standby") + claims("unavailable", "active");
        }

        @Override
        public void close() {
            eventThread.shutdownNow();
            timers.shutdownNow();
            handlers.shutdownNow();
            connector.close();
        }
    }

    /** Fresh random snowflake-sized ids: the shared Redis keeps claims for 60 s across tests and runs. */
    private static List<Long> interactions(int n) {
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 62);
        return LongStream.range(base, base + n).boxed().toList();
    }

    private static void deliverToBoth(Pod a, Pod b, List<Long> ids) {
        CompletableFuture.allOf(a.deliver(ids), b.deliver(ids)).join();
    }

    /**
     * Waits until each pod has completed the expected number of claims (a standby's come after its delay) and every
     * handling they decided on has run: only then can no late duplicate still appear.
     */
    private void settle(Pod a, int claimsA, Pod b, int claimsB) {
        await().atMost(Duration.ofSeconds(20)).until(() -> a.claimsDone() >= claimsA && b.claimsDone() >= claimsB);
        assertThat(a.claimsDone()).isEqualTo(claimsA);
        assertThat(b.claimsDone()).isEqualTo(claimsB);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> handlings.get() >= a.handlingsDecided() + b.handlingsDecided());
    }

    private void assertEachHandledExactlyOnce(List<Long> ids) {
        assertThat(handlings).hasValue(ids.size());
        for (Long id : ids) {
            assertThat(handledBy.get(id))
                    .as("pods that handled interaction %d", id)
                    .hasSize(1);
        }
        assertThat(handledBy.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void theActiveGenerationHandlesEachInteractionOnceAndTheStandbyNone() {
        Pod old = new Pod("old", 1, true, sharedRedis);
        Pod next = new Pod("new", 2, false, sharedRedis);
        List<Long> ids = interactions(N);

        deliverToBoth(old, next, ids);

        settle(old, N, next, N);
        assertEachHandledExactlyOnce(ids);
        assertThat(next.claims("taken", "standby")).isEqualTo(N);
        assertThat(ids).allSatisfy(id -> assertThat(handledBy.get(id)).containsExactly("old"));
        // The claim names its owner: <generation>/<host>.
        assertThat(old.connector
                        .get(RedisInteractionClaims.key(ids.getFirst()))
                        .toCompletableFuture()
                        .join())
                .isEqualTo("1/old");
    }

    @Test
    void theStandbyHandlesWhatTheActiveMissedOnceAfterTheDelay() {
        Pod old = new Pod("old", 1, true, sharedRedis);
        Pod next = new Pod("new", 2, false, sharedRedis);
        List<Long> ids = interactions(N);

        // The active shard is resuming (or its pod already deleted): only the standby gets the interactions.
        next.deliver(ids).join();

        settle(old, 0, next, N);
        assertEachHandledExactlyOnce(ids);
        assertThat(ids).allSatisfy(id -> {
            assertThat(handledBy.get(id)).containsExactly("new");
            assertThat(Duration.ofNanos(handledAt.get(id) - deliveredAt.get(id)))
                    .isGreaterThanOrEqualTo(STANDBY_DELAY);
        });
        assertThat(next.claims("claimed", "standby")).isEqualTo(N);
        assertThat(old.claimsDone()).isZero();
    }

    @Test
    void flippingActiveAndStandbyMidStreamStillHandlesEachInteractionOnce() {
        Pod old = new Pod("old", 1, true, sharedRedis);
        Pod next = new Pod("new", 2, false, sharedRedis);
        List<Long> ids = interactions(N);
        int phase = N / 5;

        // Old active.
        deliverToBoth(old, next, ids.subList(0, phase));
        // The new generation saw the switch first: both think they are active.
        next.active.set(true);
        deliverToBoth(old, next, ids.subList(phase, 2 * phase));
        // Switch complete: new active, old standby.
        old.active.set(false);
        deliverToBoth(old, next, ids.subList(2 * phase, 3 * phase));
        // Switching back, the old generation lags: neither thinks it is active for a moment.
        next.active.set(false);
        deliverToBoth(old, next, ids.subList(3 * phase, 4 * phase));
        old.active.set(true);
        deliverToBoth(old, next, ids.subList(4 * phase, N));

        settle(old, N, next, N);
        assertEachHandledExactlyOnce(ids);
        // Where one generation was active it answered; where neither was, one of the standbys did.
        assertThat(ids.subList(0, phase))
                .allSatisfy(id -> assertThat(handledBy.get(id)).containsExactly("old"));
        assertThat(ids.subList(2 * phase, 3 * phase))
                .allSatisfy(id -> assertThat(handledBy.get(id)).containsExactly("new"));
        assertThat(ids.subList(4 * phase, N))
                .allSatisfy(id -> assertThat(handledBy.get(id)).containsExactly("old"));
        assertThat(old.claims("unavailable", "active")
                        + next.claims("unavailable", "active")
                        + old.claims("unavailable", "standby")
                        + next.claims("unavailable", "standby"))
                .isZero();
    }

    @Test
    void withRedisKilledTheActiveGenerationStillAnswersAndTheStandbyDrops() {
        try (RedisProcess redis = RedisProcess.start()) {
            Pod old = new Pod("old", 1, true, redis);
            Pod next = new Pod("new", 2, false, redis);
            await().atMost(Duration.ofSeconds(10)).until(() -> old.connector.connected() && next.connector.connected());
            redis.kill();
            List<Long> ids = interactions(50);

            deliverToBoth(old, next, ids);

            settle(old, ids.size(), next, ids.size());
            assertEachHandledExactlyOnce(ids);
            assertThat(ids).allSatisfy(id -> assertThat(handledBy.get(id)).containsExactly("old"));
            assertThat(old.claims("unavailable", "active")).isEqualTo(ids.size());
            assertThat(next.claims("unavailable", "standby")).isEqualTo(ids.size());
        }
    }
}
