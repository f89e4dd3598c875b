package dev.chopsticks.podrunner.it;

import static dev.chopsticks.podrunner.TestPods.field;
import static dev.chopsticks.podrunner.TestPods.literal;
import static dev.chopsticks.podrunner.TestPods.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.podrunner.PodClaims;
import dev.chopsticks.podrunner.PodRunner;
import dev.chopsticks.podrunner.PodRunnerConfig;
import dev.chopsticks.podrunner.ProcessInfo;
import dev.chopsticks.podrunner.ProcessState;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runner on the simulated cluster (hack/sim-cluster.sh): a 2-replica StatefulSet whose image maps to
 * {@link EnvEchoServer}, its env from a Secret, the downward API and {@code $(VAR)} expansion. The scenarios build
 * on each other (one runner, one StatefulSet), hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodRunnerIT {
    private static final Duration TIMEOUT = ItCluster.TIMEOUT;
    private static final String STS = "echo";
    private static final String IMAGE = "chopsticks/env-echo:it";
    private static final Map<String, String> LABELS =
            Map.of("app.kubernetes.io/name", "pod-runner-it", "app.kubernetes.io/component", "shard");
    private static final Pattern CHILD = Pattern.compile("CHILD (\\d+)");

    private KubernetesClient client;
    private String namespace;
    /** Working directory and logs, kept under target/ for a look after a failure. */
    private Path work;

    private PodRunner runner;
    private final List<Long> everyPid = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void needsACluster() {
        ItCluster.assumeCluster(PodRunnerIT.class);
    }

    @BeforeAll
    void startRunnerAndStatefulSet() {
        if (!ItCluster.available()) {
            return;
        }
        client = ItCluster.client();
        namespace = ItCluster.createNamespace(client, "pod-runner-it");
        work = Path.of("target", "pod-runner-it", namespace).toAbsolutePath();
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("discord")
                        .endMetadata()
                        .withStringData(Map.of("token", "s3cr3t"))
                        .build())
                .create();

        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = System.getProperty(
                "podrunner.testClasses", Path.of("target", "test-classes").toString());
        runner = PodRunner.start(
                client,
                PodRunnerConfig.builder()
                        .namespace(namespace)
                        .labelSelector("app.kubernetes.io/name=pod-runner-it")
                        // Small, quick JVMs: two cores are shared with the cluster and other builds.
                        .imageCommand(
                                "chopsticks/env-echo*",
                                List.of(
                                        java,
                                        "-XX:TieredStopAtLevel=1",
                                        "-XX:+UseSerialGC",
                                        "-Xmx32m",
                                        "-cp",
                                        classes,
                                        EnvEchoServer.class.getName()))
                        // A Job's container: exits with the code its args give.
                        .imageCommand("chopsticks/exit*", List.of("sh", "-c", "exit \"$0\""))
                        .logDir(work.resolve("logs"))
                        .workingDir(work)
                        .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                        .readinessBridge(true)
                        .readinessPeriod(Duration.ofMillis(300))
                        .holdTermination(true)
                        .build());

        client.apps()
                .statefulSets()
                .inNamespace(namespace)
                .resource(new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName(STS)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withServiceName(STS)
                        .withPodManagementPolicy("Parallel")
                        .withNewSelector()
                        .withMatchLabels(LABELS)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(LABELS)
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(10L)
                        .withTolerations(ItCluster.KWOK_NODE)
                        .withContainers(new ContainerBuilder()
                                .withName("echo")
                                .withImage(IMAGE)
                                .withArgs("serve", "--as", "$(POD_NAME)")
                                .addNewPort()
                                .withName("http")
                                .withContainerPort(8080)
                                .endPort()
                                .withEnv(
                                        literal("HTTP_PORT", "8080"),
                                        secret("TOKEN", "discord", "token", null),
                                        field("POD_NAME", "metadata.name"),
                                        field("POD_UID", "metadata.uid"),
                                        field("NODE", "spec.nodeName"),
                                        field("POD_IP", "status.podIP"),
                                        field("APP", "metadata.labels['app.kubernetes.io/name']"),
                                        literal("GREETING", "hello $(POD_NAME) on $(NODE), port $(HTTP_PORT)"),
                                        literal("SPAWN_CHILD", "1"),
                                        literal("SHUTDOWN_DELAY_MS", "1500"))
                                .withNewReadinessProbe()
                                .withNewHttpGet()
                                .withPath("/ready")
                                .withPort(new IntOrString("http"))
                                .endHttpGet()
                                .withPeriodSeconds(5)
                                .withFailureThreshold(1)
                                .endReadinessProbe()
                                .build())
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    @AfterAll
    void cleanUp() {
        ItCluster.cleanUp(runner, client, namespace);
    }

    @Test
    @Order(1)
    void runsOneProcessPerPodWithTheResolvedEnvironment() throws Exception {
        for (String name : List.of(STS + "-0", STS + "-1")) {
            ProcessInfo p = runner.awaitReady(name, null, TIMEOUT);
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            assertThat(p.uid()).isEqualTo(pod.getMetadata().getUid());
            everyPid.add(p.pid());
            String log = ItCluster.awaitLog(p, "LISTENING");

            assertThat(log)
                    .contains(
                            "ARGS serve --as " + name,
                            "ECHO TOKEN=s3cr3t",
                            "ECHO POD_NAME=" + name,
                            "ECHO HOSTNAME=" + name,
                            "ECHO POD_UID=" + p.uid(),
                            "ECHO NODE=" + pod.getSpec().getNodeName(),
                            "ECHO POD_IP=127.0.0.1",
                            "ECHO APP=pod-runner-it",
                            "ECHO HTTP_PORT=" + p.port(),
                            "ECHO GREETING=hello " + name + " on "
                                    + pod.getSpec().getNodeName() + ", port " + p.port(),
                            "LISTENING " + p.port());
            assertThat(log).doesNotContain("ECHO KUBECONFIG=");
            assertThat(get(p.port(), "/ready")).isEqualTo(200);
        }
        assertThat(runner.processes().get(STS + "-0").port())
                .isNotEqualTo(runner.processes().get(STS + "-1").port());
    }

    @Test
    @Order(2)
    void readinessOfTheProcessIsBridgedToThePodsReadyCondition() throws Exception {
        String name = STS + "-0";
        awaitPodReady(name, true);
        Path flag = work.resolve(name + ".unready");

        Files.createFile(flag);
        awaitPodReady(name, false);
        assertThat(runner.processes().get(name).ready()).isFalse();

        Files.delete(flag);
        awaitPodReady(name, true);
        assertThat(runner.awaitReady(name, null, TIMEOUT).ready()).isTrue();
    }

    @Test
    @Order(3)
    void deletedPodIsHeldTerminatingUntilItsProcessExitedThenItsReplacementStarts() throws Exception {
        String name = STS + "-1";
        ProcessInfo old = runner.awaitRunning(name, null, TIMEOUT);
        long oldChild = childPid(old);

        client.pods().inNamespace(namespace).withName(name).delete();

        // The app takes 1.5 s to exit after SIGTERM; meanwhile the API must still show the old Pod, Terminating.
        await().atMost(TIMEOUT)
                .until(() -> runner.process(name)
                        .map(p -> p.state() == ProcessState.STOPPING)
                        .orElse(false));
        Pod terminating = client.pods().inNamespace(namespace).withName(name).get();
        assertThat(terminating.getMetadata().getUid()).isEqualTo(old.uid());
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();

        ProcessInfo replacement = await().atMost(TIMEOUT)
                .until(
                        () -> runner.process(name)
                                .filter(p -> p.running() && !p.uid().equals(old.uid()))
                                .orElse(null),
                        p -> p != null);
        everyPid.add(replacement.pid());
        assertThat(alive(old.pid())).isFalse();
        awaitDead(List.of(oldChild));
        assertThat(Files.readString(old.logFile())).contains("SIGTERM received", "bye");
        assertThat(replacement.logFile()).isNotEqualTo(old.logFile());
        assertThat(client.pods()
                        .inNamespace(namespace)
                        .withName(name)
                        .get()
                        .getMetadata()
                        .getUid())
                .isEqualTo(replacement.uid());
        // The old log's last write is its "bye": the replacement started only after the old process had finished.
        assertThat(replacement.startedAt())
                .isAfterOrEqualTo(Files.getLastModifiedTime(old.logFile()).toInstant());
    }

    @Test
    @Order(4)
    void processThatDiesIsRestartedAndTheRestartRecordedInThePodStatus() {
        String name = STS + "-0";
        ProcessInfo before = runner.awaitRunning(name, null, TIMEOUT);

        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly();

        ProcessInfo after = await().atMost(TIMEOUT)
                .until(
                        () -> runner.process(name)
                                .filter(p -> p.running() && p.restarts() == 1)
                                .orElse(null),
                        p -> p != null);
        everyPid.add(after.pid());
        assertThat(after.uid()).isEqualTo(before.uid());
        assertThat(after.pid()).isNotEqualTo(before.pid());
        assertThat(after.lastExitCode()).isEqualTo(137);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var status = client.pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .get()
                    .getStatus()
                    .getContainerStatuses()
                    .getFirst();
            assertThat(status.getRestartCount()).isEqualTo(1);
            assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
            assertThat(status.getState().getRunning()).isNotNull();
        });
    }

    @Test
    @Order(5)
    void podWithAMissingSecretWaitsWithAnEventAndStartsOnceTheSecretExists() {
        String name = "lonely";
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(LABELS)
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .withTolerations(ItCluster.KWOK_NODE)
                        .withContainers(new ContainerBuilder()
                                .withName("echo")
                                .withImage(IMAGE)
                                .withEnv(literal("HTTP_PORT", "8080"), secret("LATE", "late", "value", null))
                                .build())
                        .endSpec()
                        .build())
                .create();

        await().atMost(TIMEOUT)
                .until(() -> runner.process(name)
                        .map(p -> p.state() == ProcessState.WAITING_CONFIG)
                        .orElse(false));
        ItCluster.awaitWarningEvent(client, namespace, name, "secret \"late\" not found");
        assertThat(runner.process(name).orElseThrow().pid()).isEqualTo(-1);

        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("late")
                        .endMetadata()
                        .withStringData(Map.of("value", "finally"))
                        .build())
                .create();

        ProcessInfo p = runner.awaitRunning(name, null, TIMEOUT);
        everyPid.add(p.pid());
        assertThat(ItCluster.awaitLog(p, "LISTENING")).contains("ECHO LATE=finally");
    }

    @Test
    @Order(6)
    void jobPodsEndWithTheirProcessExitCodeAndPodsNoOneRunsStayPending() {
        job("exit-zero", "0");
        job("exit-three", "3");
        // not selected by the runner: no process plays it, so kwok must not show it running
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("unrun")
                        .withLabels(Map.of("app.kubernetes.io/name", "someone-else"))
                        .endMetadata()
                        .withNewSpec()
                        .withTolerations(ItCluster.KWOK_NODE)
                        .withContainers(new ContainerBuilder()
                                .withName("echo")
                                .withImage(IMAGE)
                                .build())
                        .endSpec()
                        .build())
                .create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(jobPod("exit-zero").getStatus().getPhase()).isEqualTo("Succeeded");
            assertThat(jobPod("exit-three").getStatus().getPhase()).isEqualTo("Failed");
        });
        var zero = jobPod("exit-zero").getStatus().getContainerStatuses().getFirst();
        assertThat(zero.getState().getTerminated().getExitCode()).isZero();
        assertThat(zero.getState().getTerminated().getMessage()).contains("exited with code 0", "pod-runner");
        var three = jobPod("exit-three").getStatus().getContainerStatuses().getFirst();
        assertThat(three.getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(three.getState().getTerminated().getReason()).isEqualTo("Error");
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(namespace)
                                .withName("exit-zero")
                                .get()
                                .getStatus()
                                .getSucceeded())
                        .isEqualTo(1));

        // By now kwok has long acted on the unrun pod (it took the Job pods through three stages).
        Pod unrun = client.pods().inNamespace(namespace).withName("unrun").get();
        assertThat(unrun.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(unrun.getStatus()
                        .getContainerStatuses()
                        .getFirst()
                        .getState()
                        .getWaiting()
                        .getReason())
                .isEqualTo(PodClaims.NO_PROCESS);
        assertThat(runner.process("unrun")).isEmpty();
    }

    private void job(String name, String exitCode) {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .resource(new JobBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withBackoffLimit(0)
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app.kubernetes.io/name", "pod-runner-it"))
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .withTolerations(ItCluster.KWOK_NODE)
                        .withContainers(new ContainerBuilder()
                                .withName("main")
                                .withImage("chopsticks/exit:it")
                                .withArgs(exitCode)
                                .build())
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    private Pod jobPod(String job) {
        return client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems().stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no pod of Job " + job + " yet"));
    }

    @Test
    @Order(7)
    void closingTheRunnerLeavesNoProcessAndNoFinalizer() throws Exception {
        List<Long> pids = new ArrayList<>(everyPid);
        for (ProcessInfo p : runner.processes().values()) {
            pids.add(p.pid());
            Matcher m = CHILD.matcher(Files.readString(p.logFile()));
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        assertThat(pids).hasSizeGreaterThanOrEqualTo(6);

        runner.close();

        assertThat(runner.processes()).isEmpty();
        awaitDead(pids);
        assertThat(client.pods().inNamespace(namespace).list().getItems())
                .allSatisfy(pod -> assertThat(pod.getMetadata().getFinalizers()).isEmpty());
    }

    /**
     * Children get SIGKILL synchronously but die and are reaped a moment later; main processes are waited for, so
     * they are gone at once.
     */
    private static void awaitDead(List<Long> pids) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(pids)
                        .allSatisfy(pid ->
                                assertThat(alive(pid)).as("pid %d alive", pid).isFalse()));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void awaitPodReady(String name, boolean ready) {
        await().atMost(TIMEOUT).until(() -> {
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            return pod != null
                    && pod.getStatus().getConditions().stream()
                            .anyMatch(c ->
                                    c.getType().equals("Ready") && c.getStatus().equals(ready ? "True" : "False"));
        });
    }

    private static long childPid(ProcessInfo p) {
        Matcher m = CHILD.matcher(ItCluster.awaitLog(p, "CHILD"));
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    private int get(int port, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
