package dev.chopsticks.bot.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code chopsticks_gateway_resumes_total{outcome}}, {@code chopsticks_gateway_identifies_saved_total} (a shard
 * connected without an IDENTIFY reaching Discord) and {@code chopsticks_gateway_handoff_gap_seconds} (from the
 * predecessor's last save to the successor's RESUMED).
 */
public final class RelayMetrics {
    private final Counter resumed;
    private final Counter failed;
    private final Counter saved;
    private final Timer gap;

    public RelayMetrics(MeterRegistry meters) {
        resumed = Counter.builder("chopsticks_gateway_resumes")
                .tag("outcome", "resumed")
                .description("RESUMEs Discord accepted")
                .register(meters);
        failed = Counter.builder("chopsticks_gateway_resumes")
                .tag("outcome", "failed")
                .description("RESUMEs Discord refused (the shard identified instead)")
                .register(meters);
        saved = Counter.builder("chopsticks_gateway_identifies_saved")
                .description("READYs given to JDA without an IDENTIFY reaching Discord (resumed or replayed)")
                .register(meters);
        gap = Timer.builder("chopsticks_gateway_handoff_gap")
                .description("time from the predecessor's last saved dispatch to the successor's RESUMED")
                .publishPercentileHistogram()
                .register(meters);
    }

    void resumed(long gapMillis, boolean handOff) {
        resumed.increment();
        if (handOff) {
            gap.record(Duration.ofMillis(Math.max(0, gapMillis)));
        }
    }

    void resumeFailed() {
        failed.increment();
    }

    void identifySaved() {
        saved.increment();
    }
}
