package dev.chopsticks.bot.discord;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Time from receiving an interaction to Discord accepting its answer (the reply, or the edit after a deferral), as
 * the histogram {@code chopsticks_interaction_latency_seconds} the chart's p99 alert and dashboard read.
 */
public final class InteractionLatency {
    private final MeterRegistry meters;

    public InteractionLatency(MeterRegistry meters) {
        this.meters = meters;
    }

    public void record(String command, boolean ok, Duration latency) {
        Timer.builder("chopsticks.interaction.latency")
                .description("Interaction received to answer accepted by Discord")
                .tag("command", command)
                .tag("outcome", ok ? "ok" : "error")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(15))
                .register(meters)
                .record(latency);
    }
}
