package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The real-bot scenarios' view of one cluster's rollout, read from the API server: the StatefulSet's template hash,
 * the shard pods, and "rolled out" (every bot Ready, the rollout complete, every pod on the template).
 */
final class ShardRollout {
    static final String STS = "chopsticks-shards";
    static final Duration CONVERGE = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final String namespace;
    private final int shards;
    private final ShardTimeline timeline;

    ShardRollout(KubernetesClient client, String namespace, int shards, ShardTimeline timeline) {
        this.client = client;
        this.namespace = namespace;
        this.shards = shards;
        this.timeline = timeline;
    }

    ChopsticksCluster cluster() {
        return client.resources(ChopsticksCluster.class)
                .inNamespace(namespace)
                .withName(RealBots.CLUSTER)
                .get();
    }

    /** The StatefulSet's pod-template hash, null before the operator made it. */
    String templateHash() {
        StatefulSet sts = client.apps()
                .statefulSets()
                .inNamespace(namespace)
                .withName(STS)
                .get();
        return sts == null ? null : sts.getMetadata().getAnnotations().get("chopsticks.dev/pod-template-hash");
    }

    /** Shard pods not being deleted, by name. */
    Map<String, Pod> pods() {
        Map<String, Pod> out = new TreeMap<>();
        client
                .pods()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/component", "shard")
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .forEach(p -> out.put(p.getMetadata().getName(), p));
        return out;
    }

    static String hash(Pod p) {
        return p.getMetadata().getAnnotations().get("chopsticks.dev/pod-template-hash");
    }

    /** Applies the cluster and waits until the StatefulSet carries the new template (after the migration Job). */
    void apply(ChopsticksCluster cluster) {
        String before = templateHash();
        client.resource(cluster).serverSideApply();
        await().atMost(CONVERGE).until(() -> !Objects.equals(before, templateHash()));
    }

    /** Every shard's bot reports Ready, the rollout is complete and every pod runs the StatefulSet's template. */
    void awaitRolledOut() {
        awaitRolledOut(CONVERGE);
    }

    void awaitRolledOut(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            var status = cluster().getStatus();
            assertThat(status).isNotNull();
            String target = templateHash();
            assertThat(status.rollout()).isNotNull();
            assertThat(status.rollout().targetRevision()).isEqualTo(target);
            assertThat(status.rollout().currentStep()).startsWith("complete");
            assertThat(status.readyShards()).isEqualTo(shards);
            assertThat(pods())
                    .hasSize(shards)
                    .allSatisfy((name, p) -> assertThat(hash(p)).isEqualTo(target));
        });
    }

    /**
     * The deletions of one rollout: each pod once, one shard per identify bucket per step, in bucket order, a step only
     * after the previous step's bots reported Ready. Returns the first deletion time.
     */
    Instant assertPaced(Instant from, int perStep, String target) {
        List<ShardTimeline.Deletion> deletions = timeline.deletionsAfter(from).stream()
                .filter(d -> !target.equals(d.templateHash()))
                .toList();
        assertThat(deletions)
                .extracting(ShardTimeline.Deletion::pod)
                .as("pods deleted once each")
                .hasSize(shards)
                .doesNotHaveDuplicates();
        for (int step = 0; step < shards / perStep; step++) {
            List<String> expected = IntStream.range(step * perStep, (step + 1) * perStep)
                    .mapToObj(i -> STS + "-" + i)
                    .sorted()
                    .toList();
            List<String> actual = deletions.subList(step * perStep, (step + 1) * perStep).stream()
                    .map(ShardTimeline.Deletion::pod)
                    .sorted()
                    .toList();
            assertThat(actual)
                    .as("step %d: one shard per identify bucket", step + 1)
                    .isEqualTo(expected);
            if (step > 0) {
                Instant stepStart = deletions.get(step * perStep).at();
                for (ShardTimeline.Deletion previous : deletions.subList((step - 1) * perStep, step * perStep)) {
                    assertThat(timeline.readyAfter(previous.pod(), previous.at()))
                            .as("%s Ready before step %d", previous.pod(), step + 1)
                            .hasValueSatisfying(ready -> assertThat(ready).isBefore(stepStart));
                }
            }
        }
        return deletions.get(0).at();
    }
}
