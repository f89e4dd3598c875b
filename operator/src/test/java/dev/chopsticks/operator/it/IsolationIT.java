package dev.chopsticks.operator.it;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.migrations.MigrationJob;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: objects the operator's Java types cannot hold, written around validation (the ChopsticksCluster CRD's schema
 * is relaxed to {@code x-kubernetes-preserve-unknown-fields} for this class, as an older or hand-edited CRD would be),
 * next to a healthy cluster. The poisoned one gets a Degraded status and one Warning Event and nothing else; the
 * healthy one keeps reconciling; the operator stays up, also when it starts with the poisoned object present.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String POISONED = "poisoned";

    @KubeConfig
    static String kubeConfigYaml;

    static OperatorHarness h;

    @BeforeAll
    static void start() {
        h = new OperatorHarness(kubeConfigYaml, OperatorHarness.relaxed("chopsticksclusters.chopsticks.dev"));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A healthy cluster's spec with {@code change} applied to its JSON form, written as plain JSON. */
    static void writeRaw(String ns, String name, Consumer<Map<String, Object>> change) {
        GenericKubernetesResource raw = h.client
                .getKubernetesSerialization()
                .convertValue(cluster(spec(16_000)), GenericKubernetesResource.class);
        raw.getMetadata().setNamespace(ns);
        raw.getMetadata().setName(name);
        raw.getMetadata().setUid(null);
        raw.getMetadata().setGeneration(null);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) raw.getAdditionalProperties().get("spec");
        change.accept(spec);
        h.client.resource(raw).create();
    }

    @SuppressWarnings("unchecked")
    static void poison(Map<String, Object> spec) {
        ((Map<String, Object>) spec.computeIfAbsent("sharding", k -> new HashMap<>())).put("shards", 3_000_000_000L);
    }

    static ChopsticksCluster get(String ns, String name) {
        return h.client
                .resources(ChopsticksCluster.class)
                .inNamespace(ns)
                .withName(name)
                .get();
    }

    static StatusCondition condition(String ns, String name, String type) {
        // read as plain JSON: the test's own client would fail on the poisoned object
        GenericKubernetesResource raw = h.client
                .genericKubernetesResources("chopsticks.dev/v1alpha1", "ChopsticksCluster")
                .inNamespace(ns)
                .withName(name)
                .get();
        Object status = raw.getAdditionalProperties().get("status");
        if (status == null) {
            return null;
        }
        var s = h.client.getKubernetesSerialization().convertValue(status, ChopsticksClusterStatus.class);
        return s.conditions() == null
                ? null
                : s.conditions().stream()
                        .filter(c -> type.equals(c.type()))
                        .findFirst()
                        .orElse(null);
    }

    static List<Event> events(String ns, String involved, String reason) {
        return h.client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    static List<HasMetadata> ownedBy(String ns, String instance) {
        var objects = new ArrayList<HasMetadata>();
        objects.addAll(h.client
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .withLabel(Labels.INSTANCE, instance)
                .list()
                .getItems());
        objects.addAll(h.client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withLabel(Labels.INSTANCE, instance)
                .list()
                .getItems());
        objects.addAll(h.client
                .configMaps()
                .inNamespace(ns)
                .withLabel(Labels.INSTANCE, instance)
                .list()
                .getItems());
        objects.addAll(h.client
                .secrets()
                .inNamespace(ns)
                .withLabel(Labels.INSTANCE, instance)
                .list()
                .getItems());
        return objects;
    }

    static StatefulSet shards(String ns) {
        return h.client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName("chopsticks-shards")
                .get();
    }

    /** Replicas of a shard StatefulSet (a new shard count is a new generation), -1 while it does not exist. */
    static int replicas(String ns, String statefulSet) {
        StatefulSet s = h.client
                .apps()
                .statefulSets()
                .inNamespace(ns)
                .withName(statefulSet)
                .get();
        return s == null ? -1 : s.getSpec().getReplicas();
    }

    static void completeMigration(String ns) {
        String job = MigrationJob.name(get(ns, NAME));
        await().atMost(TIMEOUT)
                .until(() -> h.client
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace(ns)
                                .withName(job)
                                .get()
                        != null);
        h.completeJob(ns, job);
    }

    static void awaitUnreadableReported(String ns) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, POISONED, "Degraded");
            assertThat(degraded).isNotNull();
            assertThat(degraded.status()).isEqualTo("True");
            assertThat(degraded.reason()).isEqualTo("SpecUnreadable");
            assertThat(degraded.message())
                    .startsWith("spec.sharding.shards cannot be read: ")
                    .contains("3000000000", "nothing is applied");
            assertThat(condition(ns, POISONED, "Progressing").status()).isEqualTo("False");
        });
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void theApiServersRefusalReachesTheConditionAndTheEvent() {
        String ns = "refusal";
        h.namespace(ns);
        h.secret(ns, pgSecret());
        h.secret(ns, discordSecret());
        // garbage the CRD refuses (resources.requests values must be quantities), written around it
        writeRaw(
                ns,
                NAME,
                spec -> ((Map<String, Object>) spec.get("bot"))
                        .put("resources", Map.of("requests", Map.of("cpu", "lots"))));
        completeMigration(ns);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, NAME, "Degraded");
            assertThat(degraded).isNotNull();
            assertThat(degraded.reason()).isEqualTo("ReconcileError");
            // the API server names no field for this one (HTTP 500 from the conversion), only the rule
            assertThat(degraded.message())
                    .contains("ShardStatefulSet: HTTP 500", "quantities must match the regular expression");
        });
        String message = condition(ns, NAME, "Degraded").message();
        System.out.println("apply refusal as reported: " + message);
        assertThat(message).doesNotContain("lots", PG_PASSWORD, DISCORD_TOKEN);
        assertThat(events(ns, NAME, "ReconcileError"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo(message));
        assertThat(condition(ns, NAME, "Progressing").reason()).isNotEqualTo("MigrationRunning");
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void aPoisonedClusterAffectsOnlyItself() {
        String ns = "isolation";
        h.namespace(ns);
        h.secret(ns, pgSecret());
        h.secret(ns, discordSecret());
        // the poisoned object arrives while the operator watches
        writeRaw(ns, POISONED, IsolationIT::poison);
        h.create(ns, cluster(spec(16_000)));
        completeMigration(ns);
        await().atMost(TIMEOUT).until(() -> shards(ns) != null);
        awaitUnreadableReported(ns);
        assertThat(events(ns, POISONED, "SpecUnreadable"))
                .hasSize(1)
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(ownedBy(ns, POISONED))
                .as("nothing created for the poisoned cluster")
                .isEmpty();
        assertThat(h.operator.isHealthy()).isTrue();
        assertThat(h.operator.operator().getRuntimeInfo().allEventSourcesAreHealthy())
                .isTrue();

        // the healthy one keeps reconciling: a spec change is acted on
        h.client
                .resources(ChopsticksCluster.class)
                .inNamespace(ns)
                .withName(NAME)
                .edit(c -> {
                    c.setSpec(withGuilds(c.getSpec(), 24_000));
                    return c;
                });
        await().atMost(TIMEOUT).until(() -> replicas(ns, "chopsticks-shards-g2") == 12);
        await().atMost(TIMEOUT)
                .until(() -> get(ns, NAME).getStatus() != null
                        && Integer.valueOf(12).equals(get(ns, NAME).getStatus().shards()));

        // a second operator that starts with the poisoned object present (the list, not the watch) starts, stays
        // healthy and reconciles the healthy cluster
        try (var restarted = h.restart()) {
            ChopsticksOperator second = restarted.operator();
            assertThat(second.isStarted()).isTrue();
            h.setGuilds(ns, NAME, 32_000);
            await().atMost(TIMEOUT).until(() -> replicas(ns, "chopsticks-shards-g3") == 16);
            assertThat(second.isHealthy()).isTrue();
            assertThat(second.operator().getRuntimeInfo().allEventSourcesAreHealthy())
                    .isTrue();
            // the restarted operator finds the problem in the status already: no second Event
            awaitUnreadableReported(ns);
            assertThat(events(ns, POISONED, "SpecUnreadable")).hasSize(1);

            // once fixed it is an ordinary cluster
            h.client
                    .genericKubernetesResources("chopsticks.dev/v1alpha1", "ChopsticksCluster")
                    .inNamespace(ns)
                    .withName(POISONED)
                    .edit(r -> {
                        ((Map<String, Object>) ((Map<String, Object>)
                                                r.getAdditionalProperties().get("spec"))
                                        .get("sharding"))
                                .put("shards", 8);
                        return r;
                    });
            await().atMost(TIMEOUT)
                    .until(() -> !h.jobs(ns).stream()
                            .filter(j ->
                                    POISONED.equals(j.getMetadata().getLabels().get(Labels.INSTANCE)))
                            .toList()
                            .isEmpty());
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(condition(ns, POISONED, "Degraded").reason())
                                    .isNotEqualTo("SpecUnreadable"));
        }
    }
}
