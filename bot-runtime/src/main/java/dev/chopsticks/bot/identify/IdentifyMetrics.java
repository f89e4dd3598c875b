package dev.chopsticks.bot.identify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code chopsticks_identify_remaining} (session starts left, as last read from Discord minus ours since),
 * {@code chopsticks_identify_total}, {@code chopsticks_identify_refused_total{reason}} and
 * {@code chopsticks_identify_wait_seconds} (queued to identifying).
 */
public final class IdentifyMetrics {
    private final AtomicLong remaining = new AtomicLong(-1);
    private final Counter identifies;
    private final Counter refusedBudget;
    private final Counter refusedShardCap;
    private final Timer wait;

    public IdentifyMetrics(MeterRegistry meters) {
        Gauge.builder("chopsticks_identify_remaining", remaining, r -> r.get() < 0 ? Double.NaN : r.get())
                .description("Session starts left in Discord's daily budget (last read minus identifies since)")
                .register(meters);
        identifies = Counter.builder("chopsticks_identify")
                .description("IDENTIFYs sent by this process")
                .register(meters);
        refusedBudget = Counter.builder("chopsticks_identify_refused")
                .tag("reason", IdentifyDecision.BUDGET)
                .description("IDENTIFYs withheld by the budget guard")
                .register(meters);
        refusedShardCap = Counter.builder("chopsticks_identify_refused")
                .tag("reason", IdentifyDecision.SHARD_CAP)
                .description("IDENTIFYs withheld by the budget guard")
                .register(meters);
        wait = Timer.builder("chopsticks_identify_wait")
                .description("Time from queued to identifying")
                .register(meters);
    }

    void remaining(long value) {
        remaining.set(value);
    }

    public long remaining() {
        return remaining.get();
    }

    void identified(Duration waited) {
        identifies.increment();
        wait.record(waited);
    }

    void refused(String reason) {
        (IdentifyDecision.BUDGET.equals(reason) ? refusedBudget : refusedShardCap).increment();
    }
}
