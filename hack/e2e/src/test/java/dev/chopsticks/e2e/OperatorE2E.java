package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ClusterPhase;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.Shard;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator (two real processes, leader-elected) on the simulated cluster: real scheduler, StatefulSet and
 * Deployment controllers, PV binding and garbage collection. No process runs the pods here: {@link SimulatedPods}
 * claims the shard, PgBouncer and Redis pods (so kwok shows them Running) and "completes" the migration Job's pod,
 * saying so in their annotations and messages. The scenario is ordered: each step builds on the previous one.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorE2E {
    private static final String NS = "e2e-operator";
    private static final String CLUSTER = "chopsticks";
    private static final Duration CONVERGE = Duration.ofMinutes(3);

    private static KubernetesClient client;
    private static final List<OperatorProcess> operators = new ArrayList<>();
    private static final List<SimulatedPods> simulated = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        client = E2eCluster.connect();
        E2eCluster.installCrds(client);
        E2eCluster.createNamespaceWithSecrets(client, NS);
        // No storage provisioner in the simulated cluster: one pre-made volume for the managed Redis claim.
        client.resource(new PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName("e2e-redis-pv")
                        .endMetadata()
                        .withNewSpec()
                        .withCapacity(Map.of("storage", new Quantity("5Gi")))
                        .withAccessModes("ReadWriteOnce")
                        .withStorageClassName("")
                        .withNewHostPath()
                        .withPath("/tmp/e2e-redis")
                        .endHostPath()
                        .endSpec()
                        .build())
                .serverSideApply();
        for (String component : List.of("shard", "pgbouncer", "redis")) {
            simulated.add(SimulatedPods.running(client, NS, component, "e2e-operator-e2e"));
        }
        simulated.add(SimulatedPods.migrations(
                client, NS, "OperatorE2E tests the objects the operator creates; no migrate process ran"));
        operators.add(OperatorProcess.start("operator-a", NS, 18081));
        operators.add(OperatorProcess.start("operator-b", NS, 18082));
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (OperatorProcess operator : operators) {
            operator.close();
        }
        simulated.forEach(SimulatedPods::close);
        if (client != null) {
            client.namespaces().withName(NS).delete();
            client.persistentVolumes().withName("e2e-redis-pv").delete();
            client.close();
        }
    }

    private static ChopsticksCluster sample(long guilds) {
        return new ChopsticksCluster(
                NS,
                CLUSTER,
                new ChopsticksClusterSpec(
                        guilds,
                        null,
                        new BotSpec(
                                "chopsticks/bot-runtime:e2e",
                                new SecretKeyRef("discord", "token"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        null,
                        null,
                        new PostgresSpec("chopsticks-db", null),
                        null,
                        null));
    }

    private static List<Pod> runningPods(String component) {
        return client
                .pods()
                .inNamespace(NS)
                .withLabel("app.kubernetes.io/component", component)
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .toList();
    }

    private static List<Shard> shards() {
        return client.resources(Shard.class).inNamespace(NS).list().getItems();
    }

    @Test
    @Order(1)
    void sampleClusterGetsEightRunningShardPodsPgBouncerAndRedis() throws Exception {
        client.resource(sample(16_000)).serverSideApply();

        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(shards()).hasSize(8);
            assertThat(runningPods("shard")).hasSize(8);
            assertThat(runningPods("pgbouncer")).hasSize(2);
            assertThat(runningPods("redis")).hasSize(1);
        });
        await().atMost(CONVERGE).untilAsserted(() -> {
            ChopsticksCluster cluster = client.resources(ChopsticksCluster.class)
                    .inNamespace(NS)
                    .withName(CLUSTER)
                    .get();
            assertThat(cluster.getStatus()).isNotNull();
            assertThat(cluster.getStatus().shards()).isEqualTo(8);
            assertThat(cluster.getStatus().observedGeneration())
                    .isEqualTo(cluster.getMetadata().getGeneration());
            assertThat(cluster.getStatus().phase()).isNotEqualTo(ClusterPhase.Degraded);
            assertThat(shards()).allSatisfy(s -> assertThat(s.getStatus().pod()).isNotBlank());
        });

        List<String> out = kubectl("get", "ccl,shards", "-n", NS);
        assertThat(out)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("chopstickscluster.chopsticks.dev/" + CLUSTER)
                        .contains("16000"));
        assertThat(out.stream()
                        .filter(l -> l.startsWith("shard.chopsticks.dev/"))
                        .count())
                .isEqualTo(8);
        assertThat(out).anySatisfy(l -> assertThat(l).contains("3/8").contains(CLUSTER + "-shards-3"));
    }

    @Test
    @Order(2)
    void killingTheLeaderHandsOverAndTheClusterStaysReconciled() throws Exception {
        String leader = await().atMost(Duration.ofSeconds(60)).until(OperatorE2E::leaseHolder, h -> h != null);
        OperatorProcess leaderProcess = operators.stream()
                .filter(o -> o.identity().equals(leader))
                .findFirst()
                .orElseThrow();
        leaderProcess.kill();

        String next = operators.stream()
                .filter(o -> o != leaderProcess)
                .findFirst()
                .orElseThrow()
                .identity();
        await().atMost(Duration.ofSeconds(90)).until(OperatorE2E::leaseHolder, next::equals);

        // The new leader reconciles changes: 20,000 guilds → 10 shards.
        client.resource(sample(20_000)).serverSideApply();
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(shards()).hasSize(10);
            assertThat(runningPods("shard")).hasSize(10);
        });
        // And reverts drift: a deleted Shard object comes back.
        client.resources(Shard.class).inNamespace(NS).withName(CLUSTER + "-9").delete();
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(shards()).hasSize(10));
    }

    @Test
    @Order(3)
    void deletingTheClusterGarbageCollectsEverything() {
        client.resources(ChopsticksCluster.class)
                .inNamespace(NS)
                .withName(CLUSTER)
                .delete();
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(shards()).isEmpty();
            assertThat(client.apps().statefulSets().inNamespace(NS).list().getItems())
                    .isEmpty();
            assertThat(client.apps().deployments().inNamespace(NS).list().getItems())
                    .isEmpty();
            assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
            assertThat(client.services().inNamespace(NS).list().getItems()).isEmpty();
        });
    }

    private static String leaseHolder() {
        return client.leases().inNamespace(NS).list().getItems().stream()
                .map(l -> l.getSpec().getHolderIdentity())
                .filter(h -> h != null && !h.isBlank())
                .findFirst()
                .orElse(null);
    }

    private static List<String> kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
