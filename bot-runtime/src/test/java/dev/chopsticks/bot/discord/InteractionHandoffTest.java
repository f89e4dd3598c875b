package dev.chopsticks.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.cache.ClaimOutcome;
import dev.chopsticks.bot.lifecycle.ActiveGeneration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The claim rule of {@link InteractionHandoff} with a fake claims store, a virtual-time timer and a manual executor. */
class InteractionHandoffTest {
    private static final Duration DELAY = Duration.ofMillis(750);

    /** Claims answered by the test: each call gets a future the test completes (or a preset outcome). */
    static final class FakeClaims implements InteractionClaims {
        final List<Long> calls = new ArrayList<>();
        final Deque<CompletableFuture<ClaimOutcome>> pending = new ArrayDeque<>();
        ClaimOutcome preset;

        @Override
        public synchronized CompletionStage<ClaimOutcome> claim(long interactionId) {
            calls.add(interactionId);
            if (preset != null) {
                return CompletableFuture.completedFuture(preset);
            }
            CompletableFuture<ClaimOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }
    }

    /** A scheduler on a virtual clock: tasks run only when the test advances time past them. */
    static final class VirtualTimer implements InteractionHandoff.Timer {
        private record Task(long dueMillis, Runnable run) {}

        final List<Duration> requested = new ArrayList<>();
        private final List<Task> tasks = new ArrayList<>();
        private long nowMillis;

        @Override
        public void after(Duration delay, Runnable task) {
            requested.add(delay);
            tasks.add(new Task(nowMillis + delay.toMillis(), task));
        }

        void advance(Duration d) {
            nowMillis += d.toMillis();
            List<Task> due =
                    tasks.stream().filter(t -> t.dueMillis() <= nowMillis).toList();
            tasks.removeAll(due);
            due.forEach(t -> t.run().run());
        }
    }

    /** Queues the hand-off so the test sees that handling never runs on the thread that completed the claim. */
    static final class ManualExecutor implements Executor {
        final Deque<Runnable> queued = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            queued.add(command);
        }

        void runAll() {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }
    }

    private final FakeClaims claims = new FakeClaims();
    private final VirtualTimer timer = new VirtualTimer();
    private final ManualExecutor executor = new ManualExecutor();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicInteger handled = new AtomicInteger();

    private InteractionHandoff handoff() {
        return new InteractionHandoff(
                active::get, Optional.of(claims), DELAY, timer, executor, new InteractionClaimMetrics(meters));
    }

    private double claimsCounted(String outcome, String role) {
        return meters.get("chopsticks.interaction.claims")
                .tag("outcome", outcome)
                .tag("role", role)
                .counter()
                .count();
    }

    @Test
    void activeClaimsAtOnceAndHandlesOnTheExecutorOnceTheClaimIsWon() {
        InteractionHandoff h = handoff();
        h.offer(42, handled::incrementAndGet);

        assertThat(claims.calls).containsExactly(42L);
        assertThat(timer.requested).isEmpty();
        // The claim is still in flight: nothing is handled and the caller (JDA's event thread) has already returned.
        assertThat(executor.queued).isEmpty();
        claims.pending.poll().complete(ClaimOutcome.CLAIMED);
        assertThat(handled).hasValue(0);
        executor.runAll();
        assertThat(handled).hasValue(1);
        assertThat(claimsCounted("claimed", "active")).isEqualTo(1.0);
    }

    @Test
    void standbyWaitsTheDelayThenClaimsAndHandlesWhatTheActiveMissed() {
        active.set(false);
        InteractionHandoff h = handoff();
        h.offer(7, handled::incrementAndGet);

        assertThat(timer.requested).containsExactly(DELAY);
        timer.advance(DELAY.minusMillis(1));
        assertThat(claims.calls).isEmpty();
        timer.advance(Duration.ofMillis(1));
        assertThat(claims.calls).containsExactly(7L);

        claims.pending.poll().complete(ClaimOutcome.CLAIMED);
        executor.runAll();
        assertThat(handled).hasValue(1);
        assertThat(claimsCounted("claimed", "standby")).isEqualTo(1.0);
    }

    @Test
    void aTakenClaimIsNotHandledInEitherRole() {
        claims.preset = ClaimOutcome.TAKEN;
        InteractionHandoff h = handoff();
        h.offer(1, handled::incrementAndGet);
        active.set(false);
        h.offer(2, handled::incrementAndGet);
        timer.advance(DELAY);
        executor.runAll();

        assertThat(claims.calls).containsExactly(1L, 2L);
        assertThat(handled).hasValue(0);
        assertThat(claimsCounted("taken", "active")).isEqualTo(1.0);
        assertThat(claimsCounted("taken", "standby")).isEqualTo(1.0);
    }

    @Test
    void redisUnavailableActiveHandlesAnywayStandbyDrops() {
        claims.preset = ClaimOutcome.UNAVAILABLE;
        InteractionHandoff h = handoff();
        h.offer(1, handled::incrementAndGet);
        executor.runAll();
        assertThat(handled).hasValue(1);

        active.set(false);
        h.offer(2, handled::incrementAndGet);
        timer.advance(DELAY);
        executor.runAll();
        assertThat(claims.calls).containsExactly(1L, 2L);
        assertThat(handled).hasValue(1);
        assertThat(claimsCounted("unavailable", "active")).isEqualTo(1.0);
        assertThat(claimsCounted("unavailable", "standby")).isEqualTo(1.0);
    }

    @Test
    void aFailedOrThrowingClaimCountsAsUnavailable() {
        InteractionHandoff failing = new InteractionHandoff(
                () -> true,
                Optional.of(id -> CompletableFuture.failedFuture(new IllegalStateException("boom"))),
                DELAY,
                timer,
                executor,
                new InteractionClaimMetrics(meters));
        failing.offer(1, handled::incrementAndGet);
        InteractionHandoff throwing = new InteractionHandoff(
                () -> true,
                Optional.of(id -> {
                    throw new IllegalStateException("boom");
                }),
                DELAY,
                timer,
                executor,
                new InteractionClaimMetrics(meters));
        throwing.offer(2, handled::incrementAndGet);
        executor.runAll();

        assertThat(handled).hasValue(2);
        assertThat(claimsCounted("unavailable", "active")).isEqualTo(2.0);
    }

    @Test
    void outsideKubernetesNothingIsClaimedAndEveryInteractionIsHandledAtOnce() {
        InteractionHandoff h = InteractionHandoff.forGeneration(
                ActiveGeneration.always(),
                Optional.of(claims),
                DELAY,
                timer,
                executor,
                new InteractionClaimMetrics(meters));
        h.offer(1, handled::incrementAndGet);

        assertThat(h.claiming()).isFalse();
        assertThat(handled).hasValue(1);
        assertThat(claims.calls).isEmpty();
        assertThat(timer.requested).isEmpty();
        assertThat(executor.queued).isEmpty();
    }

    @Test
    void aWatchedGenerationClaimsOnlyWithRedisAndIsActiveOnlyWithout() {
        // No API server: the watch fails and generation 2 stays standby, which is all this test needs.
        try (ActiveGeneration standby = ActiveGeneration.watch(
                () -> {
                    throw new IllegalStateException("no Kubernetes here");
                },
                "ns",
                "c",
                2)) {
            InteractionHandoff withRedis = InteractionHandoff.forGeneration(
                    standby, Optional.of(claims), DELAY, timer, executor, new InteractionClaimMetrics(meters));
            assertThat(withRedis.claiming()).isTrue();

            InteractionHandoff withoutRedis = InteractionHandoff.forGeneration(
                    standby, Optional.empty(), DELAY, timer, executor, new InteractionClaimMetrics(meters));
            withoutRedis.offer(1, handled::incrementAndGet);
            timer.advance(DELAY);
            assertThat(handled).hasValue(0);
            assertThat(timer.requested).isEmpty();
        }
    }

    @Test
    void exportsTheClaimCounterWithAllSeries() {
        new InteractionClaimMetrics(meters);
        String scrape = meters.scrape();
        assertThat(scrape).contains("# TYPE chopsticks_interaction_claims_total counter");
        for (String outcome : List.of("claimed", "taken", "unavailable")) {
            for (String role : List.of("active", "standby")) {
                assertThat(scrape)
                        .contains("chopsticks_interaction_claims_total{outcome=\"" + outcome + "\",role=\"" + role
                                + "\"} 0.0");
            }
        }
    }
}
