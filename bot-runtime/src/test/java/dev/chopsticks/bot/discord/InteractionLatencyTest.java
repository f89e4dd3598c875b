package dev.chopsticks.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The histogram name and labels are the contract of the chart's alert (hack/test/chart-test-metrics.txt). */
class InteractionLatencyTest {

    @Test
    void exportsTheHistogramTheChartsAlertReads() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InteractionLatency latency = new InteractionLatency(meters);

        latency.record("ping", true, Duration.ofMillis(12));
        latency.record("ping", true, Duration.ofMillis(2_000));
        latency.record("config", false, Duration.ofMillis(40));

        String scrape = meters.scrape();
        assertThat(scrape).contains("# TYPE chopsticks_interaction_latency_seconds histogram");
        assertThat(scrape)
                .containsPattern(
                        "chopsticks_interaction_latency_seconds_bucket\\{command=\"ping\",outcome=\"ok\",le=\"\\+Inf\"} 2");
        assertThat(scrape)
                .containsPattern(
                        "chopsticks_interaction_latency_seconds_count\\{command=\"config\",outcome=\"error\"} 1");
        // One timer per command and outcome: both ping replies land in it.
        assertThat(meters.get("chopsticks.interaction.latency")
                        .tag("command", "ping")
                        .timer()
                        .count())
                .isEqualTo(2);
    }
}
