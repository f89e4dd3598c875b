package dev.chopsticks.operator.it;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.ChopsticksOperator;
import dev.chopsticks.operator.Fixtures;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ApiRequestCounter;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tier 2: rolling restarts, respawns, resharding and the control annotations against a real API server. There is
 * no controller manager, kubelet or bot: {@link ClusterSimulator} plays them (StatefulSet and Job controllers, pod
 * status, each bot's Shard status). The operator's DELETE requests are counted per pod by an interceptor on its
 * client.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class RolloutIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final AtomicInteger NS = new AtomicInteger();
    static final Duration POD_START = Duration.ofMillis(100);
    static final Duration IDENTIFY = Duration.ofMillis(200);

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static final DeleteRecorder DELETES = new DeleteRecorder();

    final List<AutoCloseable> closeAfter = new ArrayList<>();

    /** The operators' DELETE requests for pods, by namespace/pod, with their time. */
    static final class DeleteRecorder implements Interceptor {
        private static final Pattern POD = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)$");
        final Map<String, List<Instant>> byPod = new ConcurrentHashMap<>();

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            var m = POD.matcher(request.uri().getPath());
            if ("DELETE".equals(request.method()) && m.find()) {
                byPod.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new CopyOnWriteArrayList<>())
                        .add(Instant.now());
            }
        }
    }

    /** DELETE requests of the operators for a pod of the current test's namespace. */
    int deletes(String pod) {
        return DELETES.byPod.getOrDefault(currentNs + "/" + pod, List.of()).size();
    }

    String currentNs;

    @BeforeAll
    static void start() {
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .build();
        OperatorHarness.applyCrds(client);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        closeAfter.clear();
    }

    // ---- helpers ----

    static ChopsticksClusterSpec spec(long guilds, int maxConcurrency, int perPod, RolloutSpec rollout) {
        ChopsticksClusterSpec s =
                withSharding(Fixtures.spec(guilds), new ShardingSpec(null, null, perPod, maxConcurrency, null));
        return new ChopsticksClusterSpec(
                s.guilds(), s.sharding(), s.bot(), s.pgbouncer(), s.redis(), s.postgres(), rollout, s.dashboard());
    }

    static RolloutSpec rollout(String respawnDelay, int maxRestartsPerHour, String readyTimeout) {
        return new RolloutSpec(false, respawnDelay, maxRestartsPerHour, readyTimeout, "10m", false);
    }

    /** A namespace with the Secrets, the simulator and an operator watching it; the cluster created and Ready. */
    String deploy(ChopsticksClusterSpec spec) {
        String ns = "rollout-" + NS.incrementAndGet();
        currentNs = ns;
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .serverSideApply();
        for (var secret : List.of(pgSecret(), discordSecret())) {
            secret.getMetadata().setNamespace(ns);
            client.resource(secret).serverSideApply();
        }
        simulator(ns);
        operator(ns, "operator-a");
        ChopsticksCluster c = cluster(spec);
        c.getMetadata().setNamespace(ns);
        c.getMetadata().setUid(null);
        c.getMetadata().setGeneration(null);
        client.resource(c).create();
        awaitAllReady(ns);
        return ns;
    }

    ClusterSimulator sim;

    void simulator(String ns) {
        sim = new ClusterSimulator(client, ns, NAME, POD_START, IDENTIFY).start();
        closeAfter.add(sim);
    }

    ChopsticksOperator operator(String ns, String identity) {
        KubernetesClient operatorClient = ClusterReading.clientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfigYaml))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("delete-recorder", DELETES))
                .build();
        var operator = new ChopsticksOperator(
                operatorClient,
                new OperatorConfig(
                        Set.of(ns), 0, false, "x", Optional.empty(), Optional.of(identity), 2, Duration.ofMinutes(10)),
                new OperatorMetrics(new SimpleMeterRegistry(), new ApiRequestCounter()));
        operator.start();
        closeAfter.add(operatorClient);
        closeAfter.add(operator);
        return operator;
    }

    static ChopsticksCluster get(String ns) {
        return client.resources(ChopsticksCluster.class)
                .inNamespace(ns)
                .withName(NAME)
                .get();
    }

    /** Read, change, write; again on a conflict (the operator's status write may land in between). */
    static void edit(String ns, Function<ChopsticksCluster, ChopsticksCluster> f) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(ChopsticksCluster.class)
                        .inNamespace(ns)
                        .withName(NAME)
                        .edit(c -> {
                            if (c.getMetadata().getAnnotations() == null) {
                                c.getMetadata().setAnnotations(new HashMap<>());
                            }
                            return f.apply(c);
                        });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static void patchSpec(String ns, ChopsticksClusterSpec spec) {
        edit(ns, c -> {
            c.setSpec(spec);
            return c;
        });
    }

    static StatusCondition condition(String ns, String type) {
        var status = get(ns).getStatus();
        return status == null || status.conditions() == null
                ? null
                : status.conditions().stream()
                        .filter(c -> type.equals(c.type()))
                        .findFirst()
                        .orElse(null);
    }

    static List<Shard> shards(String ns) {
        return client.resources(Shard.class).inNamespace(ns).list().getItems();
    }

    static List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    static String hash(Pod p) {
        return p.getMetadata().getAnnotations().get(Annotations.POD_TEMPLATE_HASH);
    }

    static String stsHash(String ns, String name) {
        return client.apps()
                .statefulSets()
                .inNamespace(ns)
                .withName(name)
                .get()
                .getMetadata()
                .getAnnotations()
                .get(Annotations.POD_TEMPLATE_HASH);
    }

    /**
     * Every shard of the cluster Ready, the rollout complete on the revision of the newest shard StatefulSet, and every
     * one of its pods on that revision.
     */
    void awaitAllReady(String ns) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var status = get(ns).getStatus();
            assertThat(status).isNotNull();
            assertThat(status.readyShards()).isEqualTo(status.shards());
            assertThat(status.rollout()).isNotNull();
            assertThat(status.rollout().currentStep()).startsWith("complete");
            assertThat(status.phase()).hasToString("Ready");
            StatefulSet newest = client
                    .apps()
                    .statefulSets()
                    .inNamespace(ns)
                    .withLabel(Labels.COMPONENT, "shard")
                    .list()
                    .getItems()
                    .stream()
                    .max(Comparator.comparingInt(
                            x -> Integer.parseInt(x.getMetadata().getLabels().getOrDefault(Labels.GENERATION, "1"))))
                    .orElseThrow();
            String target = newest.getMetadata().getAnnotations().get(Annotations.POD_TEMPLATE_HASH);
            assertThat(status.rollout().targetRevision()).isEqualTo(target);
            List<Pod> pods = sim.pods().values().stream()
                    .filter(p -> p.getMetadata()
                            .getName()
                            .matches(newest.getMetadata().getName() + "-[0-9]+"))
                    .toList();
            assertThat(pods)
                    .hasSize(newest.getSpec().getReplicas())
                    .allSatisfy(p -> assertThat(hash(p)).isEqualTo(target));
        });
    }

    // ---- rolling restart ----

    /**
     * An image change on 16 pods: maxConcurrency 1 (16 shards, 16 steps) and maxConcurrency 16 with 4 shards per pod
     * (64 shards, 4 steps of 4 pods; the CRD only accepts 1 or multiples of 16, Discord's values). Every pod is
     * replaced once, in bucket order, each step only after the previous step's shards reported Ready.
     */
    @ParameterizedTest(name = "maxConcurrency {0}, {1} shards per pod, {2} guilds")
    @CsvSource({"1, 1, 32000, 16", "16, 4, 128000, 4"})
    void imageChangeReplacesEveryPodOnceInBucketOrder(int mc, int perPod, long guilds, int steps) {
        String ns = deploy(spec(guilds, mc, perPod, rollout("500ms", 10, "1m")));
        Map<String, Pod> before = sim.pods();
        assertThat(before).hasSize(16);
        String oldHash = stsHash(ns, "chopsticks-shards");

        Instant changed = Instant.now();
        patchSpec(ns, withImage(spec(guilds, mc, perPod, rollout("500ms", 10, "1m")), IMAGE.replace("0.1.0", "0.2.0")));
        await().atMost(TIMEOUT).until(() -> !oldHash.equals(stsHash(ns, "chopsticks-shards")));
        String newHash = stsHash(ns, "chopsticks-shards");
        awaitAllReady(ns);
        Instant done = Instant.now();

        Map<String, Pod> after = sim.pods();
        assertThat(after.values())
                .hasSize(16)
                .allSatisfy(p -> assertThat(hash(p)).isEqualTo(newHash));
        for (String pod : before.keySet()) {
            assertThat(deletes(pod)).as("DELETE requests for %s", pod).isEqualTo(1);
            assertThat(after.get(pod).getMetadata().getUid())
                    .isNotEqualTo(before.get(pod).getMetadata().getUid());
        }
        // bucket order: the deletions, in time order, form the steps 0-3, 4-7, ... (or 0, 1, 2, ...)
        List<ClusterSimulator.Deletion> deletions = sim.deletions.stream()
                .sorted(Comparator.comparing(ClusterSimulator.Deletion::at))
                .toList();
        assertThat(deletions)
                .hasSize(16)
                .allSatisfy(d -> assertThat(d.templateHash()).isEqualTo(oldHash));
        int perStep = 16 / steps;
        for (int step = 0; step < steps; step++) {
            Set<String> expected = IntStream.range(step * perStep, (step + 1) * perStep)
                    .mapToObj(i -> "chopsticks-shards-" + i)
                    .collect(Collectors.toSet());
            Set<String> actual = deletions.subList(step * perStep, (step + 1) * perStep).stream()
                    .map(ClusterSimulator.Deletion::pod)
                    .collect(Collectors.toSet());
            assertThat(actual).as("step %d", step + 1).isEqualTo(expected);
            if (step > 0) {
                // every pod of the previous step was back and its shards Ready before this step's first delete
                Instant firstDelete = deletions.get(step * perStep).at();
                for (int i = (step - 1) * perStep; i < step * perStep; i++) {
                    String pod = "chopsticks-shards-" + i;
                    Instant ready = sim.readies.stream()
                            .filter(r -> r.pod().equals(pod) && r.at().isAfter(changed))
                            .map(ClusterSimulator.Ready::at)
                            .min(Comparator.naturalOrder())
                            .orElseThrow();
                    assertThat(ready)
                            .as("%s Ready before step %d", pod, step + 1)
                            .isBeforeOrEqualTo(firstDelete);
                }
            }
        }
        var status = get(ns).getStatus();
        assertThat(status.rollout().targetRevision()).isEqualTo(newHash);
        assertThat(status.rollout().updatedShards()).isEqualTo(status.shards());
        assertThat(events(ns, "RolloutStarted")).hasSize(1);
        assertThat(events(ns, "RolloutStep")).hasSize(steps);
        assertThat(events(ns, "RolloutCompleted")).hasSize(1);
        System.out.printf(
                "RolloutIT: %d pods, maxConcurrency %d, %d steps, respawnDelay 500ms: first delete -> all Ready "
                        + "%d ms (image change -> all Ready %d ms)%n",
                16,
                mc,
                steps,
                Duration.between(deletions.get(0).at(), done).toMillis(),
                Duration.between(changed, done).toMillis());
    }

    @Test
    void aPodNotReadyWithinReadyTimeoutHaltsTheRolloutAndAFixedImageResumes() {
        String ns = deploy(spec(32_000, 1, 1, rollout("200ms", 10, "5s")));
        sim.botsReady = p -> !p.getSpec().getContainers().get(0).getImage().contains("broken");
        patchSpec(ns, withImage(spec(32_000, 1, 1, rollout("200ms", 10, "5s")), IMAGE.replace("0.1.0", "broken")));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, "Degraded");
            assertThat(degraded.status()).isEqualTo("True");
            assertThat(degraded.reason()).isEqualTo("RolloutHalted");
            assertThat(get(ns).getStatus().rollout().haltedReason())
                    .contains(
                            "chopsticks-shards-0 (shard 0)",
                            "not Ready within readyTimeout 5s",
                            "15 pods (15 shards) on older revisions");
            assertThat(get(ns).getStatus().phase()).hasToString("Degraded");
        });
        assertThat(events(ns, "RolloutHalted"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        // the rest stays on the old version
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> sim.deletions.size() == 1);
        assertThat(sim.deletions.get(0).pod()).isEqualTo("chopsticks-shards-0");

        patchSpec(ns, withImage(spec(32_000, 1, 1, rollout("200ms", 10, "5s")), IMAGE.replace("0.1.0", "0.2.1")));
        awaitAllReady(ns);
        String fixed = stsHash(ns, "chopsticks-shards");
        assertThat(sim.pods().values())
                .hasSize(16)
                .allSatisfy(p -> assertThat(hash(p)).isEqualTo(fixed));
        assertThat(deletes("chopsticks-shards-0"))
                .as("pod 0: once for the broken, once for the fixed image")
                .isEqualTo(2);
        IntStream.range(1, 16)
                .forEach(i -> assertThat(deletes("chopsticks-shards-" + i)).isEqualTo(1));
        assertThat(condition(ns, "Degraded").status()).isEqualTo("False");
        assertThat(get(ns).getStatus().rollout().haltedReason()).isNull();
    }

    /** Operator A stops mid-rollout, operator B (empty memory) takes over: it completes, no pod is deleted twice. */
    @Test
    void anOperatorStoppedMidRolloutIsReplacedAndNoPodIsDeletedTwice() throws Exception {
        String ns = deploy(spec(32_000, 1, 1, rollout("300ms", 10, "1m")));
        ChopsticksOperator first = (ChopsticksOperator) closeAfter.stream()
                .filter(c -> c instanceof ChopsticksOperator)
                .findFirst()
                .orElseThrow();
        patchSpec(ns, withImage(spec(32_000, 1, 1, rollout("300ms", 10, "1m")), IMAGE.replace("0.1.0", "0.3.0")));
        await().atMost(TIMEOUT).until(() -> sim.deletions.size() >= 5);
        first.close();
        int atHandover = sim.deletions.size();
        operator(ns, "operator-b");

        awaitAllReady(ns);
        String target = stsHash(ns, "chopsticks-shards");
        assertThat(sim.pods().values())
                .hasSize(16)
                .allSatisfy(p -> assertThat(hash(p)).isEqualTo(target));
        IntStream.range(0, 16)
                .forEach(i -> assertThat(deletes("chopsticks-shards-" + i))
                        .as("DELETE requests for pod %d", i)
                        .isEqualTo(1));
        assertThat(sim.deletions).hasSize(16);
        System.out.printf(
                "RolloutIT: operator replaced after %d of 16 pods; the new one finished the rest%n", atHandover);
    }

    // ---- respawns ----

    @Test
    void aCrashedPodIsRespawnedAndBackQuickly() {
        String ns = deploy(spec(16_000, 1, 1, rollout("500ms", 10, "1m")));
        String uid = sim.pods().get("chopsticks-shards-5").getMetadata().getUid();
        Instant died = Instant.now();
        sim.crashOnce("chopsticks-shards-5");
        ClusterSimulator.Ready back = await().atMost(TIMEOUT)
                .until(
                        () -> sim.readies.stream()
                                .filter(r -> r.pod().equals("chopsticks-shards-5")
                                        && !r.uid().equals(uid))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
        Shard five = client.resources(Shard.class)
                .inNamespace(ns)
                .withName("chopsticks-5")
                .get();
        assertThat(five.getMetadata().getAnnotations())
                .containsEntry(Annotations.RESPAWN_COUNT, "1")
                .containsKey(Annotations.RESPAWNED_AT);
        assertThat(events(ns, "ShardRespawned"))
                .singleElement()
                .satisfies(
                        e -> assertThat(e.getMessage()).contains("chopsticks-shards-5 (shard 5)", "CrashLoopBackOff"));
        long ms = Duration.between(died, back.at()).toMillis();
        System.out.printf(
                "RolloutIT: respawn of a crash-looping shard: death -> replacement Ready %d ms (simulated pod "
                        + "start %d ms + identify %d ms)%n",
                ms, POD_START.toMillis(), IDENTIFY.toMillis());
        assertThat(ms).isLessThan(10_000);
    }

    @Test
    void theRestartCapMarksTheShardFailedAndStopsDeleting() {
        String ns = deploy(spec(16_000, 1, 1, rollout("500ms", 2, "1m")));
        sim.crash("chopsticks-shards-3");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Shard three = client.resources(Shard.class)
                    .inNamespace(ns)
                    .withName("chopsticks-3")
                    .get();
            assertThat(three.getStatus().conditions()).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo("Respawn");
                assertThat(c.status()).isEqualTo("False");
                assertThat(c.reason()).isEqualTo("RestartCapReached");
                assertThat(c.message()).contains("respawned 2 times in the last hour", "marked Failed");
            });
            assertThat(three.getStatus().phase()).hasToString("Failed");
            assertThat(three.getStatus().message())
                    .startsWith("Respawns stopped: ")
                    .contains("respawned 2 times");
        });
        assertThat(deletes("chopsticks-shards-3")).isEqualTo(2);
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> deletes("chopsticks-shards-3") == 2);
        assertThat(events(ns, "RestartCapReached"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("chopsticks-3"));
        assertThat(events(ns, "ShardRespawned")).hasSize(2);
        // the cluster says so too: a refused respawn is not "as expected"
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatusCondition degraded = condition(ns, "Degraded");
            assertThat(degraded.status()).isEqualTo("True");
            assertThat(degraded.reason()).isEqualTo("RestartCapReached");
            assertThat(degraded.message()).startsWith("not respawned: chopsticks-3 (");
            assertThat(get(ns).getStatus().phase()).hasToString("Degraded");
        });
        Shard three = client.resources(Shard.class)
                .inNamespace(ns)
                .withName("chopsticks-3")
                .get();
        assertThat(three.getMetadata().getAnnotations()).containsEntry(Annotations.RESPAWN_COUNT, "2");
        assertThat(three.getStatus().restarts())
                .as("container restarts + respawns")
                .isEqualTo(3 + 2);
    }

    // ---- resharding ----

    @Test
    void reshardingRunsTheNewGenerationNextToTheOldOneUntilAllItsShardsAreReady() {
        String ns = deploy(spec(16_000, 1, 1, rollout("500ms", 10, "1m")));
        assertThat(shards(ns)).hasSize(8);
        // the new generation's bots are held back until the test lets them report Ready
        sim.botsReady = p -> p.getMetadata().getLabels().get(Labels.GENERATION) == null;
        patchSpec(ns, spec(30_000, 1, 1, rollout("500ms", 10, "1m")));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet g2 = client.apps()
                    .statefulSets()
                    .inNamespace(ns)
                    .withName("chopsticks-shards-g2")
                    .get();
            assertThat(g2).isNotNull();
            assertThat(g2.getSpec().getReplicas()).isEqualTo(15);
            assertThat(sim.pods()).hasSize(8 + 15);
        });
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps()
                            .statefulSets()
                            .inNamespace(ns)
                            .withName("chopsticks-shards")
                            .get())
                    .isNotNull();
            List<Shard> all = shards(ns);
            assertThat(all).hasSize(8 + 15);
            assertThat(all.stream().filter(s -> s.getMetadata().getName().startsWith("chopsticks-g2-")))
                    .hasSize(15)
                    .allSatisfy(s -> assertThat(s.getSpec().generation()).isEqualTo(2));
            assertThat(generationConfigMap(ns)).isEqualTo("1");
            var status = get(ns).getStatus();
            assertThat(status.rollout().activeGeneration()).isEqualTo(1);
            assertThat(status.shards()).isEqualTo(15);
            assertThat(status.guilds()).as("served by generation 1").isEqualTo(8 * 1000L);
            assertThat(condition(ns, "Progressing").reason()).isEqualTo("Resharding");
            assertThat(condition(ns, "Progressing").message())
                    .contains("generation 2 (15 shards) starting next to " + "generation 1, which keeps serving");
        });
        // generation 2's pods get their generation and Shard names from the environment
        Pod g2pod = sim.pods().get("chopsticks-shards-g2-0");
        assertThat(g2pod.getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("CHOPSTICKS_GENERATION=2"))
                .anySatisfy(e ->
                        assertThat(e.getName() + "=" + e.getValue()).isEqualTo("SHARD_NAME_PREFIX=chopsticks-g2-"));

        sim.botsReady = p -> true;
        sim.releaseBots();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps()
                            .statefulSets()
                            .inNamespace(ns)
                            .withName("chopsticks-shards")
                            .get())
                    .isNull();
            assertThat(shards(ns))
                    .hasSize(15)
                    .allSatisfy(s -> assertThat(s.getMetadata().getName()).startsWith("chopsticks-g2-"));
            assertThat(generationConfigMap(ns)).isEqualTo("2");
            assertThat(get(ns).getStatus().rollout().activeGeneration()).isEqualTo(2);
        });
        awaitAllReady(ns);
        Instant lastNewReady = sim.readies.stream()
                .filter(r -> r.pod().startsWith("chopsticks-shards-g2-"))
                .map(ClusterSimulator.Ready::at)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Instant firstOldGone = sim.deletions.stream()
                .filter(d -> d.pod().matches("chopsticks-shards-[0-9]+"))
                .map(ClusterSimulator.Deletion::at)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        assertThat(firstOldGone)
                .as("generation 1 removed only after every new shard was Ready")
                .isAfter(lastNewReady);
        assertThat(events(ns, "ReshardStarted")).hasSize(1);
        assertThat(events(ns, "ReshardSwitched"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("generation 2 is now active", "all 15 shards"));
        assertThat(events(ns, "GenerationRetired"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("generation 1 (8 shards"));
        assertThat(get(ns).getStatus().guilds()).isEqualTo(15 * 1000L);
    }

    /**
     * Make-before-break (rollout.sessionHandOff): an image change runs the new template as generation 2 next to
     * generation 1, which keeps its template and its pods; once every new shard is warm (Standby) the ConfigMap
     * switches with sessions-from 1, and generation 1 goes without any of its pods deleted by a rolling step.
     */
    @Test
    void withSessionHandOffAnImageChangeStartsAWarmGenerationAndSwitchesToIt() {
        RolloutSpec handOff = new RolloutSpec(false, "500ms", 10, "1m", "10m", true);
        String ns = deploy(spec(16_000, 1, 2, handOff));
        String oldHash = stsHash(ns, "chopsticks-shards");
        sim.standby = p -> "2".equals(p.getMetadata().getLabels().get(Labels.GENERATION));
        List<String> cmData = new CopyOnWriteArrayList<>();
        var watch = client.configMaps()
                .inNamespace(ns)
                .withName("chopsticks-generation")
                .inform(new ResourceEventHandler<ConfigMap>() {
                    @Override
                    public void onAdd(ConfigMap cm) {
                        cmData.add(String.valueOf(new TreeMap<>(cm.getData())));
                    }

                    @Override
                    public void onUpdate(ConfigMap old, ConfigMap cm) {
                        cmData.add(String.valueOf(new TreeMap<>(cm.getData())));
                    }

                    @Override
                    public void onDelete(ConfigMap cm, boolean unknown) {}
                });
        closeAfter.add(watch::close);

        Map<String, Pod> before = sim.pods();
        // generation 2's bots are held back first: generation 1 must keep serving, untouched, meanwhile
        sim.botsReady = p -> p.getMetadata().getLabels().get(Labels.GENERATION) == null;
        patchSpec(ns, withImage(spec(16_000, 1, 2, handOff), IMAGE.replace("0.1.0", "0.2.0")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sim.pods()).hasSize(4 + 4));
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(stsHash(ns, "chopsticks-shards"))
                    .as("generation 1 keeps its template")
                    .isEqualTo(oldHash);
            assertThat(sim.deletions).as("no pod of generation 1 replaced").isEmpty();
            assertThat(generationConfigMap(ns)).isEqualTo("1");
            assertThat(condition(ns, "Progressing").message()).contains("getting warm", "0/8 shards warm");
        });
        assertThat(sim.pods()
                        .get("chopsticks-shards-g2-0")
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("GATEWAY_RELAY=true"));
        before.forEach(
                (name, pod) -> assertThat(sim.pods().get(name).getMetadata().getUid())
                        .isEqualTo(pod.getMetadata().getUid()));

        sim.botsReady = p -> true;
        sim.releaseBots();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(events(ns, "SessionsHandedOver"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("generation 2 is now active", "resume the sessions of generation 1"));
            assertThat(generationConfigMap(ns)).isEqualTo("2");
        });
        assertThat(cmData)
                .as("the switch names whose sessions generation 2 resumes")
                .contains("{active-generation=2, sessions-from=1}");
        assertThat(events(ns, "HandOffStarted"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("shard generation 2 (8 shards in 4 pods)"));
        sim.takeOver();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps()
                            .statefulSets()
                            .inNamespace(ns)
                            .withName("chopsticks-shards")
                            .get())
                    .isNull();
            assertThat(shards(ns))
                    .hasSize(8)
                    .allSatisfy(s -> assertThat(s.getMetadata().getName()).startsWith("chopsticks-g2-"));
        });
        awaitAllReady(ns);
        assertThat(generationConfigMap(ns)).isEqualTo("2");
        assertThat(sim.pods().values())
                .hasSize(4)
                .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                        .contains("0.2.0"));
    }

    static String generationConfigMap(String ns) {
        ConfigMap cm = client.configMaps()
                .inNamespace(ns)
                .withName("chopsticks-generation")
                .get();
        return cm == null ? null : cm.getData().get("active-generation");
    }

    // ---- control annotations ----

    @Test
    void pauseReconcileStopsEverythingAndRestartAtRestartsEachPodOnce() {
        String ns = deploy(spec(16_000, 16, 1, rollout("500ms", 10, "1m")));
        String hash = stsHash(ns, "chopsticks-shards");
        int jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems().size();

        edit(ns, c -> {
            c.getMetadata().getAnnotations().put(Annotations.PAUSE_RECONCILE, "true");
            return c;
        });
        await().atMost(TIMEOUT)
                .until(() -> condition(ns, "Progressing") != null
                        && "ReconcilePaused".equals(condition(ns, "Progressing").reason()));
        patchSpec(ns, withImage(spec(16_000, 16, 1, rollout("500ms", 10, "1m")), IMAGE.replace("0.1.0", "0.4.0")));
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(stsHash(ns, "chopsticks-shards")).isEqualTo(hash);
            assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems())
                    .hasSize(jobs);
            assertThat(sim.deletions).isEmpty();
        });
        assertThat(events(ns, "ReconcilePaused")).hasSize(1);

        edit(ns, c -> {
            c.getMetadata().getAnnotations().remove(Annotations.PAUSE_RECONCILE);
            return c;
        });
        await().atMost(TIMEOUT).until(() -> !hash.equals(stsHash(ns, "chopsticks-shards")));
        awaitAllReady(ns);
        assertThat(sim.deletions).hasSize(8);

        // restart-at: every pod created before it, once (one step: 8 shards in 16 buckets)
        Map<String, String> uids = new HashMap<>();
        sim.pods().forEach((name, p) -> uids.put(name, p.getMetadata().getUid()));
        String at = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        edit(ns, c -> {
            c.getMetadata().getAnnotations().put(Annotations.RESTART_AT, at);
            return c;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, Pod> pods = sim.pods();
            assertThat(pods).hasSize(8);
            pods.forEach((name, p) -> assertThat(p.getMetadata().getUid()).isNotEqualTo(uids.get(name)));
        });
        awaitAllReady(ns);
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> sim.deletions.size() == 16);
        IntStream.range(0, 8)
                .forEach(i -> assertThat(deletes("chopsticks-shards-" + i)).isEqualTo(2));
    }
}
