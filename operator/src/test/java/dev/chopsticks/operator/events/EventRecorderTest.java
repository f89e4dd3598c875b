package dev.chopsticks.operator.events;

import static dev.chopsticks.operator.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.operator.metrics.ApiRequestCounter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** De-duplication, counted at the HTTP layer (the requests fail: nothing listens on the port). */
class EventRecorderTest {

    @Test
    void warningsAreRecordedOncePerReasonUntilResolved() {
        ApiRequestCounter requests = new ApiRequestCounter();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:1")
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(200)
                .build();
        try (var client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
                .build()) {
            var events = new EventRecorder(client, "test");
            var c = cluster(16_000);
            events.warning(c, EventReason.SECRET_MISSING, "Secret 'a' not found");
            events.warning(c, EventReason.SECRET_MISSING, "Secret 'a' not found");
            assertThat(requests.count("POST")).isEqualTo(1);
            events.warning(c, EventReason.SECRET_MISSING, "Secret 'b' not found");
            assertThat(requests.count("POST")).isEqualTo(2);
            events.warning(c, EventReason.MIGRATION_FAILED, "x");
            events.clearWarningsExcept(c, Set.of(EventReason.MIGRATION_FAILED));
            events.warning(c, EventReason.MIGRATION_FAILED, "x");
            assertThat(requests.count("POST")).isEqualTo(3);
            events.warning(c, EventReason.SECRET_MISSING, "Secret 'b' not found");
            assertThat(requests.count("POST")).isEqualTo(4);
            events.normal(c, EventReason.SHARDS_SCALED, "8 -> 12");
            events.normal(c, EventReason.SHARDS_SCALED, "8 -> 12");
            assertThat(requests.count("POST")).isEqualTo(6);
        }
    }
}
