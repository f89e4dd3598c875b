package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.cache.ClaimOutcome;
import dev.chopsticks.bot.lifecycle.ActiveGeneration;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once interactions across shard generations (zero-downtime resharding).
 *
 * <p>While the operator reshards, an old and a new generation of shard pods run side by side and Discord delivers
 * every interaction to one shard of each. The ConfigMap naming the active generation ({@link ActiveGeneration})
 * reaches the two generations at different instants, so "only the active one answers" alone would, around the
 * switch, answer some interactions twice (the second callback fails with 40060) and lose others; and the old pods
 * are deleted right after the switch, possibly before the new ones have seen it. The rule:
 * <ol>
 *   <li>Every interaction is <b>claimed</b> first, in Redis ({@link RedisInteractionClaims}:
 *       {@code SET chopsticks:interaction:{id} <generation>/<host> NX PX 60000}); only the winner handles it.</li>
 *   <li>The <b>active</b> generation claims at once. A <b>standby</b> generation (the old one being retired, or the
 *       new one not yet switched to) is the backup: it waits the standby delay ({@code INTERACTION_STANDBY_DELAY_MS},
 *       750 ms by default), then claims, and so handles only what the active one missed (the switch itself, a shard
 *       resuming). That is still well inside Discord's 3 s acknowledgement window.</li>
 *   <li>Redis unavailable (breaker open, error, timeout): the active generation answers anyway (availability first;
 *       a duplicate is possible only if this coincides with a switch), a standby one drops the interaction.</li>
 *   <li>No claims where nothing can be delivered twice: outside Kubernetes ({@link ActiveGeneration#always()}, one
 *       process) and without the gateway relay (which replays to a successor what its predecessor may have
 *       handled), nothing is claimed and every interaction is handled at once; without Redis the active generation
 *       alone answers, as before claims existed.</li>
 * </ol>
 * The claim never blocks the caller (JDA's event thread): it completes on a Redis or timer thread and the handling
 * continues on {@code handlers}.
 */
public final class InteractionHandoff {
    private static final Logger log = LoggerFactory.getLogger(InteractionHandoff.class);
    private static final long UNAVAILABLE_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** This generation's part at the moment an interaction arrives. */
    public enum Role {
        ACTIVE,
        STANDBY;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Runs a task after a delay; a seam so tests drive the standby wait without sleeping. */
    @FunctionalInterface
    public interface Timer {
        void after(Duration delay, Runnable task);

        static Timer of(ScheduledExecutorService scheduler) {
            return (delay, task) -> scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private final BooleanSupplier active;
    private final Optional<InteractionClaims> claims;
    private final Duration standbyDelay;
    private final Timer timer;
    private final Executor handlers;
    private final InteractionClaimMetrics metrics;
    private final AtomicLong nextUnavailableLog = new AtomicLong(System.nanoTime());

    /** Claims every interaction (tests; production goes through {@link #forGeneration}). */
    InteractionHandoff(
            BooleanSupplier active,
            Optional<InteractionClaims> claims,
            Duration standbyDelay,
            Timer timer,
            Executor handlers,
            InteractionClaimMetrics metrics) {
        this.active = active;
        this.claims = claims;
        this.standbyDelay = standbyDelay;
        this.timer = timer;
        this.handlers = handlers;
        this.metrics = metrics;
    }

    /**
     * @param generation the watched {@link ActiveGeneration} in Kubernetes, or {@link ActiveGeneration#always()}
     * @param claims     empty without Redis; ignored unless generations can overlap (a watched generation)
     */
    public static InteractionHandoff forGeneration(
            BooleanSupplier generation,
            Optional<InteractionClaims> claims,
            Duration standbyDelay,
            Timer timer,
            Executor handlers,
            InteractionClaimMetrics metrics) {
        return forGeneration(generation, claims, false, standbyDelay, timer, handlers, metrics);
    }

    /**
     * @param replayed true when gateway sessions are handed between processes (the relay): a successor is replayed
     *                 dispatches its predecessor may already have handled, so interactions are claimed even with one
     *                 generation
     */
    public static InteractionHandoff forGeneration(
            BooleanSupplier generation,
            Optional<InteractionClaims> claims,
            boolean replayed,
            Duration standbyDelay,
            Timer timer,
            Executor handlers,
            InteractionClaimMetrics metrics) {
        Optional<InteractionClaims> used =
                generation instanceof ActiveGeneration || replayed ? claims : Optional.empty();
        return new InteractionHandoff(generation, used, standbyDelay, timer, handlers, metrics);
    }

    /** True when interactions are claimed before being handled. */
    public boolean claiming() {
        return claims.isPresent();
    }

    /**
     * Decides whether this process handles the interaction and, if so, runs {@code handling}: on the calling thread
     * when nothing is claimed, else on the handlers executor after winning the claim.
     */
    public void offer(long interactionId, Runnable handling) {
        boolean activeNow = active.getAsBoolean();
        if (claims.isEmpty()) {
            if (activeNow) {
                handling.run();
            }
            return;
        }
        if (activeNow) {
            claim(Role.ACTIVE, interactionId, handling);
            return;
        }
        try {
            timer.after(standbyDelay, () -> claim(Role.STANDBY, interactionId, handling));
        } catch (RejectedExecutionException e) {
            log.debug("interaction {} dropped: shutting down", interactionId);
        }
    }

    private void claim(Role role, long interactionId, Runnable handling) {
        CompletionStage<ClaimOutcome> claim;
        try {
            claim = claims.orElseThrow().claim(interactionId);
        } catch (RuntimeException e) {
            claim = CompletableFuture.failedFuture(e);
        }
        claim.whenComplete((result, error) -> {
            ClaimOutcome outcome = error != null || result == null ? ClaimOutcome.UNAVAILABLE : result;
            metrics.record(role, outcome);
            if (!handles(role, outcome)) {
                log.debug("interaction {} not handled here ({}, {})", interactionId, role.label(), outcome);
                return;
            }
            if (outcome == ClaimOutcome.UNAVAILABLE) {
                unavailable(interactionId);
            }
            try {
                handlers.execute(handling);
            } catch (RejectedExecutionException e) {
                log.debug("interaction {} dropped: shutting down", interactionId);
            }
        });
    }

    /** The rule above: the winner handles; without an answer from Redis only the active generation does. */
    static boolean handles(Role role, ClaimOutcome outcome) {
        return outcome == ClaimOutcome.CLAIMED || (outcome == ClaimOutcome.UNAVAILABLE && role == Role.ACTIVE);
    }

    /** Once per 30 s at most: during an outage every interaction would log. */
    private void unavailable(long interactionId) {
        long now = System.nanoTime();
        long next = nextUnavailableLog.get();
        if (now - next >= 0 && nextUnavailableLog.compareAndSet(next, now + UNAVAILABLE_LOG_EVERY_NANOS)) {
            log.warn(
                    "interaction claims unavailable (Redis): the active generation answers without a claim"
                            + " (e.g. interaction {}); a standby generation drops them",
                    interactionId);
        }
    }
}
