package dev.chopsticks.bot.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How this process paces and guards IDENTIFY.
 *
 * @param maxConcurrency  Discord's {@code max_concurrency} as the operator set it; empty means read it from
 *                        {@code GET /gateway/bot}
 * @param window          one IDENTIFY per bucket per window (Discord: 5 s; shorter only against a scaled simulator)
 * @param safety          extra spacing added to every window (clock skew and network jitter to the gateway)
 * @param budgetReserve   never identify when {@code session_start_limit.remaining} is at or below this
 * @param shardHourlyCap  at most this many IDENTIFYs per shard per hour (a crash-looping shard must not burn the budget)
 * @param refusedRetry    how long a refused shard waits before asking again
 */
public record IdentifyConfig(
        OptionalInt maxConcurrency,
        Duration window,
        Duration safety,
        int budgetReserve,
        int shardHourlyCap,
        Duration refusedRetry) {

    public static IdentifyConfig defaults() {
        return new IdentifyConfig(
                OptionalInt.empty(), Duration.ofSeconds(5), Duration.ofMillis(250), 50, 20, Duration.ofSeconds(60));
    }

    public static IdentifyConfig fromEnv(EnvReader env) {
        OptionalInt mc = env.optional("MAX_CONCURRENCY").isPresent()
                ? OptionalInt.of(env.intInRange("MAX_CONCURRENCY", 1, 1, 4096))
                : OptionalInt.empty();
        return new IdentifyConfig(
                mc,
                Duration.ofMillis(env.intInRange("IDENTIFY_WINDOW_MS", 5_000, 100, 60_000)),
                Duration.ofMillis(env.intInRange("IDENTIFY_SAFETY_MS", 250, 0, 5_000)),
                env.intInRange("IDENTIFY_BUDGET_RESERVE", 50, 0, 1_000_000),
                env.intInRange("IDENTIFY_SHARD_HOURLY_CAP", 20, 1, 100_000),
                Duration.ofSeconds(env.intInRange("IDENTIFY_RETRY_SECONDS", 60, 1, 86_400)));
    }

    public IdentifyConfig withWindow(Duration newWindow, Duration newSafety) {
        return new IdentifyConfig(maxConcurrency, newWindow, newSafety, budgetReserve, shardHourlyCap, refusedRetry);
    }
}
