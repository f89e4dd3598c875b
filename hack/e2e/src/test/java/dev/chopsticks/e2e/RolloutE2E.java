package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ExternalRedisSpec;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rolling restarts, respawns and resharding with real controllers: the operator jar as a process, the StatefulSet and
 * Job controllers, the scheduler and kwok nodes of the simulated cluster. kwok pods run no container, so the bots are
 * test-driven ({@link SimulatedBots} writes each shard's status by the bot contract once its pod runs); with
 * pod-runner and real bots the same assertions would hold against the Discord simulator. Ordered: each step builds
 * on the previous one. Prints the figures for docs/benchmarks.md.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutE2E {
    private static final String NS = "e2e-rollout";
    private static final String CLUSTER = "chopsticks";
    private static final String IMAGE = "chopsticks/bot-runtime:e2e";
    private static final Duration CONVERGE = Duration.ofMinutes(4);
    /** The simulated bots' time from their pod Running to READY. */
    private static final Duration IDENTIFY = Duration.ofMillis(500);

    private static KubernetesClient client;
    private static SimulatedBots bots;
    private static SimulatedPods migrations;
    private static final List<OperatorProcess> operators = new ArrayList<>();
    private static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        client = E2eCluster.connect();
        E2eCluster.installCrds(client);
        E2eCluster.createNamespaceWithSecrets(client, NS);
        bots = new SimulatedBots(client, NS, CLUSTER, IDENTIFY).start();
        migrations = SimulatedPods.migrations(
                client, NS, "RolloutE2E tests what follows a successful migration; no migrate process ran");
        operators.add(OperatorProcess.start("rollout-a", NS, 18091));
    }

    @AfterAll
    static void tearDown() throws Exception {
        figures.forEach(f -> System.out.println("RolloutE2E figure: " + f));
        for (OperatorProcess operator : operators) {
            operator.close();
        }
        if (bots != null) {
            bots.close();
        }
        if (migrations != null) {
            migrations.close();
        }
        if (client != null) {
            E2eCluster.writeEvents(client, NS, "rollout-e2e-events.txt");
            client.namespaces().withName(NS).delete();
            client.close();
        }
    }

    private static ChopsticksCluster cluster(long guilds, int maxConcurrency, String image, String respawnDelay) {
        return new ChopsticksCluster(
                NS,
                CLUSTER,
                new ChopsticksClusterSpec(
                        guilds,
                        new ShardingSpec(null, null, null, maxConcurrency, null),
                        new BotSpec(image, new SecretKeyRef("discord", "token"), null, null, null, null, null, null),
                        null,
                        // external Redis: no volume to provision on the simulated cluster
                        new RedisSpec(
                                RedisMode.EXTERNAL,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new ExternalRedisSpec(null, List.of("redis.example:6379"))),
                        new PostgresSpec("chopsticks-db", null),
                        new RolloutSpec(false, respawnDelay, 10, "2m", "10m", false),
                        null));
    }

    private static ChopsticksCluster get() {
        return client.resources(ChopsticksCluster.class)
                .inNamespace(NS)
                .withName(CLUSTER)
                .get();
    }

    private static String stsHash(String name) {
        StatefulSet sts =
                client.apps().statefulSets().inNamespace(NS).withName(name).get();
        return sts == null ? null : sts.getMetadata().getAnnotations().get("chopsticks.dev/pod-template-hash");
    }

    private static Map<String, Pod> pods(String sts) {
        Map<String, Pod> out = new TreeMap<>();
        client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "shard").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getMetadata().getName().matches(sts + "-[0-9]+"))
                .forEach(p -> out.put(p.getMetadata().getName(), p));
        return out;
    }

    /** All shards Ready, the rollout complete on the StatefulSet's revision, every pod of it on that revision. */
    private static void awaitRolledOut(String sts, int pods) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            var status = get().getStatus();
            assertThat(status).isNotNull();
            String target = stsHash(sts);
            assertThat(target).isNotNull();
            assertThat(status.rollout()).isNotNull();
            assertThat(status.rollout().targetRevision()).isEqualTo(target);
            assertThat(status.rollout().currentStep()).startsWith("complete");
            assertThat(status.readyShards()).isEqualTo(status.shards());
            assertThat(pods(sts))
                    .hasSize(pods)
                    .allSatisfy((name, p) -> assertThat(
                                    p.getMetadata().getAnnotations().get("chopsticks.dev/pod-template-hash"))
                            .isEqualTo(target));
        });
    }

    /**
     * One rollout's deletions of pods on older revisions: each pod once, in bucket order, a step only after the previous
     * step's shards reported Ready; and the operator's RolloutStep Events name each pod once. (A deleted pod's
     * replacement is sometimes deleted again by kwok within milliseconds: its pod-delete stage finalizes a graceful
     * delete by name from a stale view, which can hit the StatefulSet's new pod. Such a replacement is on the target
     * revision and not the operator's doing, so deletions of target-revision pods are not counted here.) Returns the
     * first deletion time.
     */
    private static Instant assertRollout(Instant from, int perStep, String target) {
        return assertRollout(from, perStep, target, 0);
    }

    /**
     * @param eventsMayMiss pods whose RolloutStep Event may be missing: the executor records it after the delete, so
     *     an operator SIGKILLed right after a delete loses that Event (Events are best effort, the delete is not)
     */
    private static Instant assertRollout(Instant from, int perStep, String target, int eventsMayMiss) {
        List<SimulatedBots.Deletion> deletions = bots.deletions.stream()
                .filter(d -> d.at().isAfter(from))
                .filter(d -> !target.equals(d.templateHash()))
                .sorted(Comparator.comparing(SimulatedBots.Deletion::at))
                .toList();
        assertThat(deletions).hasSize(16);
        List<String> stepEvents = client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e ->
                        "RolloutStep".equals(e.getReason()) && e.getMessage().contains("-> " + target + ")"))
                .map(e -> e.getMessage())
                .toList();
        int withoutEvent = 0;
        for (int i = 0; i < 16; i++) {
            String pod = "chopsticks-shards-" + i;
            assertThat(deletions.stream().filter(d -> d.pod().equals(pod)).count())
                    .as("deletions of %s", pod)
                    .isEqualTo(1);
            String named = pod + " (";
            long events = stepEvents.stream().filter(m -> m.contains(named)).count();
            assertThat(events).as("RolloutStep Events naming %s", pod).isBetween(0L, 1L);
            withoutEvent += events == 0 ? 1 : 0;
        }
        assertThat(withoutEvent).as("pods deleted without a RolloutStep Event").isLessThanOrEqualTo(eventsMayMiss);
        for (int step = 0; step < 16 / perStep; step++) {
            List<String> expected = IntStream.range(step * perStep, (step + 1) * perStep)
                    .mapToObj(i -> "chopsticks-shards-" + i)
                    .sorted()
                    .toList();
            List<String> actual = deletions.subList(step * perStep, (step + 1) * perStep).stream()
                    .map(SimulatedBots.Deletion::pod)
                    .sorted()
                    .toList();
            assertThat(actual).as("step %d in bucket order", step + 1).isEqualTo(expected);
            if (step > 0) {
                Instant stepStart = deletions.get(step * perStep).at();
                for (int i = (step - 1) * perStep; i < step * perStep; i++) {
                    String pod = "chopsticks-shards-" + i;
                    Instant ready = bots.readies.stream()
                            .filter(r -> r.pod().equals(pod) && r.at().isAfter(from))
                            .map(SimulatedBots.Ready::at)
                            .min(Comparator.naturalOrder())
                            .orElseThrow();
                    assertThat(ready)
                            .as("%s Ready before step %d", pod, step + 1)
                            .isBefore(stepStart);
                }
            }
        }
        return deletions.get(0).at();
    }

    /** Time from a pod's deletion to its replacement's Ready, the shortest seen in this rollout: the "pod start". */
    private static Duration podStart(Instant from) {
        return bots.deletions.stream()
                .filter(d -> d.at().isAfter(from))
                .map(d -> bots.readies.stream()
                        // a replacement's Ready: the deleted pod's own can be recorded just after its deletion
                        .filter(r -> r.pod().equals(d.pod()) && !r.uid().equals(d.uid()) && r.at().isAfter(d.at()))
                        .map(SimulatedBots.Ready::at)
                        .min(Comparator.naturalOrder())
                        .map(r -> Duration.between(d.at(), r))
                        .orElse(Duration.ZERO))
                .filter(x -> !x.isZero())
                .min(Comparator.naturalOrder())
                .orElseThrow();
    }

    @Test
    @Order(1)
    void sixteenShardsComeUp() {
        client.resource(cluster(32_000, 1, IMAGE + "-1", "5s")).serverSideApply();
        awaitRolledOut("chopsticks-shards", 16);
        assertThat(client.resources(Shard.class).inNamespace(NS).list().getItems())
                .hasSize(16);
    }

    /** Applies the cluster and waits until the StatefulSet has the new template (after the image's migration Job). */
    private static void apply(ChopsticksCluster cluster) {
        String before = stsHash("chopsticks-shards");
        client.resource(cluster).serverSideApply();
        await().atMost(CONVERGE).until(() -> !Objects.equals(before, stsHash("chopsticks-shards")));
    }

    @Test
    @Order(2)
    void imageChangeWithMaxConcurrency1RestartsOnePodPerIdentifyWindow() {
        Instant changed = Instant.now();
        apply(cluster(32_000, 1, IMAGE + "-2", "5s"));
        awaitRolledOut("chopsticks-shards", 16);
        Instant done = Instant.now();
        Instant first = assertRollout(changed, 1, stsHash("chopsticks-shards"));
        Duration total = Duration.between(first, done);
        Duration podStart = podStart(changed);
        double bound = 1.1 * 16 * 5 + podStart.toMillis() / 1000.0;
        figures.add(String.format(
                "16 shards, maxConcurrency 1, respawnDelay 5s: rollout %.1f s (first delete -> last "
                        + "Ready); physical limit 16 x 5 s = 80 s; bound 1.1 x 80 + pod start %.1f s = %.1f s",
                total.toMillis() / 1000.0, podStart.toMillis() / 1000.0, bound));
        assertThat(total.toMillis() / 1000.0).isLessThanOrEqualTo(bound);
        assertThat(get().getStatus().rollout().updatedShards()).isEqualTo(16);
    }

    @Test
    @Order(3)
    void imageChangeWithMaxConcurrency16RestartsAllPodsInOneStep() {
        Instant changed = Instant.now();
        apply(cluster(32_000, 16, IMAGE + "-3", "5s"));
        awaitRolledOut("chopsticks-shards", 16);
        Instant done = Instant.now();
        String target = stsHash("chopsticks-shards");
        Instant first = assertRollout(changed, 16, target);
        // One step: every old pod is deleted before one identify window (respawnDelay 5 s) has passed; paced one by one
        // it would take 15 windows. How fast the cluster then recreates 16 pods at once is the cluster's business
        // (3 s on a quiet machine, 28 s once under CI load), so it is a figure, not a bound.
        Instant last = bots.deletions.stream()
                .filter(d -> d.at().isAfter(changed) && !target.equals(d.templateHash()))
                .map(SimulatedBots.Deletion::at)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        double spread = Duration.between(first, last).toMillis() / 1000.0;
        Duration total = Duration.between(first, done);
        Duration podStart = podStart(changed);
        figures.add(String.format(
                "16 shards, maxConcurrency 16: all 16 pods deleted within %.1f s (one identify window: 5 s); "
                        + "rollout %.1f s (first delete -> last Ready); fastest pod start %.1f s",
                spread, total.toMillis() / 1000.0, podStart.toMillis() / 1000.0));
        assertThat(spread).as("seconds from the first deletion to the last").isLessThanOrEqualTo(1.1 * 5);
    }

    @Test
    @Order(4)
    void aKilledOperatorIsReplacedMidRolloutAndNoPodRestartsTwice() throws Exception {
        Instant changed = Instant.now();
        apply(cluster(32_000, 1, IMAGE + "-4", "2s"));
        await().atMost(CONVERGE)
                .until(() -> bots.deletions.stream()
                                .filter(d -> d.at().isAfter(changed))
                                .count()
                        >= 4);
        OperatorProcess first = operators.get(0);
        first.kill();
        long atKill =
                bots.deletions.stream().filter(d -> d.at().isAfter(changed)).count();
        operators.add(OperatorProcess.start("rollout-b", NS, 18092));

        awaitRolledOut("chopsticks-shards", 16);
        assertRollout(changed, 1, stsHash("chopsticks-shards"), 1);
        figures.add("operator killed (SIGKILL) after " + atKill + " of 16 pods; the standby took over after the Lease "
                + "expired and finished; every pod deleted exactly once");
    }

    @Test
    @Order(5)
    void aCrashLoopingShardIsRespawnedWithinTenSeconds() {
        Pod pod = pods("chopsticks-shards").get("chopsticks-shards-5");
        String uid = pod.getMetadata().getUid();
        Instant died = Instant.now();
        // what the kubelet reports for a container that keeps exiting (kwok leaves a Running pod's status alone)
        client.pods().inNamespace(NS).withName("chopsticks-shards-5").editStatus(p -> {
            p.getStatus()
                    .setContainerStatuses(List.of(new ContainerStatusBuilder()
                            .withName("bot")
                            .withImage("x")
                            .withImageID("x")
                            .withRestartCount(3)
                            .withReady(false)
                            .withStarted(false)
                            .withNewState()
                            .withNewWaiting()
                            .withReason("CrashLoopBackOff")
                            .endWaiting()
                            .endState()
                            .build()));
            return p;
        });
        SimulatedBots.Ready back = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> bots.readies.stream()
                                .filter(r -> r.pod().equals("chopsticks-shards-5")
                                        && !r.uid().equals(uid)
                                        && r.at().isAfter(died))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
        Duration recovery = Duration.between(died, back.at());
        figures.add(String.format(
                "respawn: CrashLoopBackOff -> replacement pod's shard Ready %.1f s (target <= 10 s; "
                        + "includes the simulated bot's %d ms to READY)",
                recovery.toMillis() / 1000.0, IDENTIFY.toMillis()));
        assertThat(recovery).isLessThanOrEqualTo(Duration.ofSeconds(10));
        Shard five = client.resources(Shard.class)
                .inNamespace(NS)
                .withName("chopsticks-5")
                .get();
        assertThat(five.getMetadata().getAnnotations()).containsEntry("chopsticks.dev/respawn-count", "1");
    }

    @Test
    @Order(6)
    void reshardingKeepsTheOldGenerationServingUntilTheNewOneIsReady() {
        bots.healthy = p -> p.getMetadata().getLabels().get("chopsticks.dev/generation") == null;
        Instant changed = Instant.now();
        client.resource(cluster(60_000, 1, IMAGE + "-4", "2s")).serverSideApply();
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(pods("chopsticks-shards-g2")).hasSize(30);
            assertThat(pods("chopsticks-shards")).hasSize(16);
            List<Shard> shards =
                    client.resources(Shard.class).inNamespace(NS).list().getItems();
            assertThat(shards).hasSize(16 + 30);
            var status = get().getStatus();
            assertThat(status.rollout().activeGeneration()).isEqualTo(1);
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName(CLUSTER + "-generation")
                            .get()
                            .getData())
                    .containsEntry("active-generation", "1");
        });
        Instant released = Instant.now();
        bots.healthy = p -> true;
        bots.recheck();
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(client.apps()
                            .statefulSets()
                            .inNamespace(NS)
                            .withName("chopsticks-shards")
                            .get())
                    .isNull();
            assertThat(client.resources(Shard.class).inNamespace(NS).list().getItems())
                    .hasSize(30)
                    .allSatisfy(s -> assertThat(s.getMetadata().getName()).startsWith(CLUSTER + "-g2-"));
            assertThat(get().getStatus().rollout().activeGeneration()).isEqualTo(2);
        });
        awaitRolledOut("chopsticks-shards-g2", 30);
        Instant lastNewReady = bots.readies.stream()
                .filter(r -> r.pod().startsWith("chopsticks-shards-g2-"))
                .map(SimulatedBots.Ready::at)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Instant firstOldGone = bots.deletions.stream()
                .filter(d -> d.at().isAfter(changed))
                .filter(d -> d.pod().matches("chopsticks-shards-[0-9]+"))
                .map(SimulatedBots.Deletion::at)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        assertThat(firstOldGone)
                .as("the old generation goes only after every new shard is Ready")
                .isAfter(lastNewReady);
        figures.add(String.format(
                "reshard 16 -> 30 shards: new generation Ready -> old generation gone %.1f s; release "
                        + "of the new bots -> switch complete %.1f s",
                Duration.between(lastNewReady, firstOldGone).toMillis() / 1000.0,
                Duration.between(released, Instant.now()).toMillis() / 1000.0));
    }
}
