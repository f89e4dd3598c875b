package dev.chopsticks.bot.identify;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify budget guard, asked right before each IDENTIFY (while the bucket lease is held, so within a bucket
 * the answer is exact). Refuses when Discord's remaining session starts are at or below the reserve, or when the
 * shard has reached its hourly cap. Discord's figure is re-read when it is old or close to the reserve; in between,
 * this process subtracts its own identifies.
 */
public final class IdentifyBudget {
    private static final Logger log = LoggerFactory.getLogger(IdentifyBudget.class);

    /** Where fresh {@code session_start_limit} figures come from ({@code GET /gateway/bot}). */
    @FunctionalInterface
    public interface LimitSource {
        SessionStartLimit fetch() throws Exception;
    }

    private static final Duration REFRESH = Duration.ofSeconds(60);
    private static final int NEAR_RESERVE = 20;

    private final LimitSource source;
    private final int reserve;
    private final Duration refusedRetry;
    private final ShardIdentifyCounter perShard;
    private final IdentifyMetrics metrics;
    private final IdentifyEvents events;
    private SessionStartLimit last;
    private long lastFetchNanos;
    private long identifiesSinceFetch;

    public IdentifyBudget(
            LimitSource source,
            int reserve,
            Duration refusedRetry,
            ShardIdentifyCounter perShard,
            IdentifyMetrics metrics) {
        this(source, reserve, refusedRetry, perShard, metrics, IdentifyEvents.NONE);
    }

    /** @param events also told the budget figures (Shard status {@code identifyRemaining}/{@code identifyTotal}) */
    public IdentifyBudget(
            LimitSource source,
            int reserve,
            Duration refusedRetry,
            ShardIdentifyCounter perShard,
            IdentifyMetrics metrics,
            IdentifyEvents events) {
        this.events = events;
        this.source = source;
        this.reserve = reserve;
        this.refusedRetry = refusedRetry;
        this.perShard = perShard;
        this.metrics = metrics;
    }

    /** A figure read elsewhere (the start-up {@code GET /gateway/bot}). */
    public synchronized void update(SessionStartLimit limit) {
        last = limit;
        lastFetchNanos = System.nanoTime();
        identifiesSinceFetch = 0;
        metrics.remaining(limit.remaining());
        events.budget(limit.remaining(), limit.total());
    }

    /** Decides for one shard; when allowed, the identify is counted (per shard and against the estimate). */
    public synchronized IdentifyDecision check(int shardId) {
        long remaining = estimate();
        if (remaining >= 0 && remaining <= reserve + NEAR_RESERVE) {
            refresh();
            remaining = estimate();
        }
        if (remaining >= 0 && remaining <= reserve) {
            Duration retry = last.resetAfter().isZero()
                    ? refusedRetry
                    : min(refusedRetry, last.resetAfter().minusNanos(System.nanoTime() - lastFetchNanos));
            String message = "identify refused: session-start budget remaining " + remaining + " <= reserve " + reserve
                    + " (Discord resets it in " + last.resetAfter().toMinutes() + " min); retrying in "
                    + retry.toSeconds() + " s";
            log.warn("shard {}: {}", shardId, message);
            metrics.refused(IdentifyDecision.BUDGET);
            return IdentifyDecision.refuse(IdentifyDecision.BUDGET, message, retry);
        }
        ShardIdentifyCounter.Result counted = perShard.tryCount(shardId);
        if (!counted.allowed()) {
            Duration retry = counted.retryAfter();
            String message = "identify refused: shard " + shardId + " identified " + counted.count()
                    + " times this hour (cap); next attempt in " + retry.toSeconds() + " s";
            log.warn(message);
            metrics.refused(IdentifyDecision.SHARD_CAP);
            return IdentifyDecision.refuse(IdentifyDecision.SHARD_CAP, message, retry);
        }
        identifiesSinceFetch++;
        if (last != null) {
            long estimate = estimate();
            metrics.remaining(estimate);
            events.budget((int) estimate, last.total());
        }
        return IdentifyDecision.allow();
    }

    /** -1 while unknown. Re-reads Discord's figure when it is older than a minute. */
    private long estimate() {
        if (last == null || System.nanoTime() - lastFetchNanos > REFRESH.toNanos()) {
            refresh();
        }
        return last == null ? -1 : last.remaining() - identifiesSinceFetch;
    }

    private void refresh() {
        try {
            update(source.fetch());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Keep the last figure (or none): failing closed on a REST hiccup would stop every shard.
            log.warn("identify budget: GET /gateway/bot failed ({}), using the last known figure", e.toString());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : (b.isNegative() ? Duration.ofSeconds(1) : b);
    }
}
