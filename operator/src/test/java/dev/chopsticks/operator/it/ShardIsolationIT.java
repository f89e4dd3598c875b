package dev.chopsticks.operator.it;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.operator.ChopsticksOperator;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: Shard objects the operator's Java types cannot hold, written around validation (the Shard CRD's schema is
 * relaxed to {@code x-kubernetes-preserve-unknown-fields}, as an older or hand-edited CRD would be), among the
 * healthy Shards of a simulated cluster: one whose bot-written status does not fit ({@code guilds: 3000000000}), one
 * whose operator-written spec does not ({@code shardId: "five"}). The operator stays up, keeps reconciling the
 * cluster, does not count the first as Ready or restart its pod, says so in one Warning Event, and writes its own
 * spec over the second.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class ShardIsolationIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String NS = "shard-isolation";
    static final String BAD_STATUS = NAME + "-3";
    static final String BAD_SPEC = NAME + "-5";
    static final String SHARD_API = "chopsticks.dev/v1alpha1";

    @KubeConfig
    static String kubeConfigYaml;

    static OperatorHarness h;
    static ClusterSimulator sim;

    @BeforeAll
    static void start() {
        h = new OperatorHarness(kubeConfigYaml, OperatorHarness.relaxed("shards.chopsticks.dev"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (h != null) {
            h.close();
        }
    }

    /** The simulator's bots do not heartbeat: a long timeout keeps their Ready shards from counting as zombies. */
    static ChopsticksClusterSpec quietSpec(long guilds) {
        return withRollout(spec(guilds), new RolloutSpec(null, null, null, null, "24h", null));
    }

    /** What a bot writes for its shard, as plain JSON with the bot's field manager, around the Java types. */
    static void botReports(String shard, Object guilds) {
        String now = Instant.now().toString();
        GenericKubernetesResource report = new GenericKubernetesResource();
        report.setApiVersion(SHARD_API);
        report.setKind("Shard");
        report.setMetadata(
                new ObjectMetaBuilder().withNamespace(NS).withName(shard).build());
        report.setAdditionalProperty(
                "status", Map.of("phase", "Ready", "guilds", guilds, "sessionStartedAt", now, "lastHeartbeat", now));
        h.client.resource(report).subresource("status").patch(ClusterSimulator.BOT_APPLY);
    }

    /** A Shard as plain JSON: the test's own client would fail on the poisoned ones. */
    static GenericKubernetesResource raw(String shard) {
        return h.client
                .genericKubernetesResources(SHARD_API, "Shard")
                .inNamespace(NS)
                .withName(shard)
                .get();
    }

    @SuppressWarnings("unchecked")
    static Object specField(String shard, String field) {
        return ((Map<String, Object>) raw(shard).getAdditionalProperties().get("spec")).get(field);
    }

    static ChopsticksCluster current() {
        return h.get(NS, NAME);
    }

    static Integer readyShards() {
        ChopsticksCluster c = current();
        return c.getStatus() == null ? null : c.getStatus().readyShards();
    }

    static List<Event> events(String reason) {
        return h.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    static int replicas(String statefulSet) {
        StatefulSet s = h.client
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName(statefulSet)
                .get();
        return s == null ? -1 : s.getSpec().getReplicas();
    }

    static void assertHealthy(ChopsticksOperator operator) {
        assertThat(operator.isHealthy()).isTrue();
        assertThat(operator.operator().getRuntimeInfo().allEventSourcesAreHealthy())
                .isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void poisonedShardsAffectOnlyThemselves() {
        h.namespace(NS);
        h.secret(NS, pgSecret());
        h.secret(NS, discordSecret());
        sim = new ClusterSimulator(h.client, NS, NAME, Duration.ofMillis(100), Duration.ofMillis(200)).start();
        h.create(NS, cluster(quietSpec(16_000)));
        await().atMost(TIMEOUT).until(() -> Integer.valueOf(8).equals(readyShards()));
        String badStatusPod = (String)
                ((Map<String, Object>) raw(BAD_STATUS).getAdditionalProperties().get("status")).get("pod");
        assertThat(badStatusPod).isNotNull();

        // a bot reports a guild count the operator's Integer cannot hold; the spec of another Shard is hand-edited
        botReports(BAD_STATUS, 3_000_000_000L);
        h.client
                .genericKubernetesResources(SHARD_API, "Shard")
                .inNamespace(NS)
                .withName(BAD_SPEC)
                .edit(r -> {
                    ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put("shardId", "five");
                    return r;
                });

        // the operator writes its own spec over the unreadable one
        await().atMost(TIMEOUT).until(() -> Integer.valueOf(5).equals(specField(BAD_SPEC, "shardId")));
        // the unreadable status is not Ready, and the cluster says which shard and why, once
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(readyShards()).isEqualTo(7);
            assertThat(events("ShardUnreadable")).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage())
                        .contains(BAD_STATUS, "status.guilds cannot be read", "3000000000")
                        .doesNotContain(BAD_SPEC);
            });
        });
        assertHealthy(h.operator);
        // no restart because of it: its pod and every other stays while the operator goes on reconciling
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .until(() -> sim.deletions.isEmpty()
                        && sim.pods().containsKey(badStatusPod)
                        && Integer.valueOf(7).equals(readyShards()));
        assertHealthy(h.operator);
        assertThat(events("ShardUnreadable")).hasSize(1);

        // a second operator that starts with the poisoned Shard present (the list, not the watch) starts, stays
        // healthy and reconciles the cluster: a spec change is acted on
        try (var restarted = h.restart()) {
            ChopsticksOperator second = restarted.operator();
            assertThat(second.isStarted()).isTrue();
            h.setGuilds(NS, NAME, 24_000);
            await().atMost(TIMEOUT).until(() -> replicas("chopsticks-shards-g2") == 12);
            assertHealthy(second);
        }
    }
}
