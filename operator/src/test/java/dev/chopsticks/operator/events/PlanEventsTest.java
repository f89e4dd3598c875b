package dev.chopsticks.operator.events;

import static dev.chopsticks.operator.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Announcements and their one memory, counted at the HTTP layer (the requests fail: nothing listens on the port). */
class PlanEventsTest {
    private final ApiRequestCounter requests = new ApiRequestCounter();
    private final KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(200)
                    .build())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequestCounter.NAME, requests))
            .build();
    private final EventRecorder events = new EventRecorder(client, "test");
    private final PlanEvents plans = new PlanEvents(events);

    @AfterEach
    void close() {
        client.close();
    }

    static ShardPlan plan(ChopsticksCluster c) {
        return ShardPlan.compute(c.getSpec().guilds(), c.getSpec().sharding());
    }

    @Test
    void aPlanIsAnnouncedOnceUntilItsShardCountChanges() {
        ChopsticksCluster c = cluster(16_000);
        plans.announce(c, plan(c));
        plans.announce(c, plan(c)); // the status write has not reached the cache yet
        assertThat(requests.count("POST")).isEqualTo(1);

        ChopsticksCluster bigger = cluster(24_000);
        plans.announce(bigger, plan(bigger)); // 12 shards: not what was announced
        plans.announce(bigger, plan(bigger));
        assertThat(requests.count("POST")).isEqualTo(2);
    }

    /** Deleting a cluster forgets every announcement and warning about it, so its successor is told afresh. */
    @Test
    void aClusterCreatedAgainUnderTheSameNameIsAnnouncedAgain() {
        ChopsticksCluster first = cluster(16_000);
        plans.announce(first, plan(first));
        events.warning(first, EventReason.SECRET_MISSING, "Secret 'a' not found");
        events.remember(first, "rollout/announced", "revision-1");
        assertThat(requests.count("POST")).isEqualTo(2);

        events.forget(ResourceID.fromResource(first));
        assertThat(events.memory().clusters()).isZero();

        ChopsticksCluster second = cluster(16_000);
        second.getMetadata().setUid("another-uid");
        plans.announce(second, plan(second));
        events.warning(second, EventReason.SECRET_MISSING, "Secret 'a' not found");
        assertThat(requests.count("POST")).isEqualTo(4);
        assertThat(events.recall(second, "rollout/announced", String.class)).isEmpty();
    }
}
