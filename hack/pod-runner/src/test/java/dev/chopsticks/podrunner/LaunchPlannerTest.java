package dev.chopsticks.podrunner;

import static dev.chopsticks.podrunner.TestPods.literal;
import static dev.chopsticks.podrunner.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class LaunchPlannerTest {
    private static final PodCredentials RUNNER_LEVEL = new PodCredentials.RunnerLevel();
    private final PodRunnerConfig config = PodRunnerConfig.builder()
            .namespace("e2e")
            .imageCommand("chopsticks/bot-runtime*=java -Dport=$(HTTP_PORT) -jar /abs/bot-runtime.jar")
            .logDir(Path.of("/tmp/logs"))
            .env("JAVA_TOOL_OPTIONS", "-Xmx64m")
            .env("SHARD_COUNT", "from-runner")
            .build();
    private final LaunchPlanner planner = new LaunchPlanner(
            config,
            new EnvResolver(new FakeConfigSource(), new HostResources(2, 1L << 30)),
            Map.of("PATH", "/usr/bin", "KUBECONFIG", "/secret/kubeconfig", "HOME", "/root"));

    @Test
    void mapsTheImageAndAppendsTheContainersCommandAndArgsExpanded() throws Exception {
        Pod pod = withContainer(
                pod(literal("HTTP_PORT", "8080"), literal("MODE", "run")),
                c -> c.withCommand("--mode").withArgs("$(MODE)", "$$(MODE)", "$(UNDEFINED)"));
        var target = planner.containerToRun(pod).orElseThrow();

        LaunchSpec spec = planner.plan(pod, target.getKey(), target.getValue(), 41000, RUNNER_LEVEL);

        assertThat(spec.argv())
                .containsExactly(
                        "java",
                        "-Dport=41000",
                        "-jar",
                        "/abs/bot-runtime.jar",
                        "--mode",
                        "run",
                        "$(MODE)",
                        "$(UNDEFINED)");
    }

    @Test
    void environmentIsInheritedBasicsThenRunnerExtrasThenThePodsOwnWithThePortRemapped() throws Exception {
        Pod pod = pod(literal("HTTP_PORT", "8080"), literal("SHARD_COUNT", "4"));
        var target = planner.containerToRun(pod).orElseThrow();

        LaunchSpec spec = planner.plan(pod, target.getKey(), target.getValue(), 41000, RUNNER_LEVEL);

        assertThat(spec.env())
                .containsEntry("PATH", "/usr/bin")
                .containsEntry("HOME", "/root")
                .doesNotContainKey("KUBECONFIG")
                .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx64m")
                .containsEntry("SHARD_COUNT", "4")
                .containsEntry("HOSTNAME", "bot-shards-3")
                .containsEntry("HTTP_PORT", "41000");
        assertThat(spec.logFile()).isEqualTo(Path.of("/tmp/logs/e2e/bot-shards-3-uid-1234.log"));
        assertThat(spec.port()).isEqualTo(41000);
    }

    @Test
    void portVariableIsAddedWhenThePodDoesNotDefineIt() throws Exception {
        Pod pod = pod();
        var target = planner.containerToRun(pod).orElseThrow();

        assertThat(planner.plan(pod, target.getKey(), target.getValue(), 41001, RUNNER_LEVEL)
                        .env())
                .containsEntry("HTTP_PORT", "41001");
    }

    @Test
    void aServiceAccountKubeconfigReplacesTheRunnersKubeconfig() throws Exception {
        PodRunnerConfig withRunnerKubeconfig = PodRunnerConfig.builder()
                .namespace("e2e")
                .imageCommand("chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar")
                .logDir(Path.of("/tmp/logs"))
                .env("KUBECONFIG", "/runner/admin.kubeconfig")
                .build();
        LaunchPlanner planner = new LaunchPlanner(
                withRunnerKubeconfig,
                new EnvResolver(new FakeConfigSource(), new HostResources(2, 1L << 30)),
                Map.of("PATH", "/usr/bin"));
        Pod pod = pod();
        var target = planner.containerToRun(pod).orElseThrow();
        var token = new PodCredentials.Kubeconfig(
                Path.of("/tmp/logs/e2e/bot-shards-3-uid-1234.kubeconfig"),
                "bot",
                Instant.now().plusSeconds(3600),
                Instant.now().plusSeconds(2880));

        assertThat(planner.plan(pod, target.getKey(), target.getValue(), 41000, token)
                        .env())
                .containsEntry("KUBECONFIG", "/tmp/logs/e2e/bot-shards-3-uid-1234.kubeconfig");
        assertThat(planner.plan(pod, target.getKey(), target.getValue(), 41000, new PodCredentials.None())
                        .env())
                .doesNotContainKey("KUBECONFIG")
                .containsEntry("PATH", "/usr/bin");
        assertThat(planner.plan(pod, target.getKey(), target.getValue(), 41000, RUNNER_LEVEL)
                        .env())
                .containsEntry("KUBECONFIG", "/runner/admin.kubeconfig");
    }

    @Test
    void anInheritedKubeconfigIsReplacedOrRemovedToo() throws Exception {
        PodRunnerConfig inheriting = PodRunnerConfig.builder()
                .namespace("e2e")
                .imageCommand("chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar")
                .inheritedEnv(List.of("PATH", "KUBECONFIG"))
                .build();
        LaunchPlanner planner = new LaunchPlanner(
                inheriting,
                new EnvResolver(new FakeConfigSource(), new HostResources(2, 1L << 30)),
                Map.of("PATH", "/usr/bin", "KUBECONFIG", "/home/me/.kube/config"));
        Pod pod = pod();
        var target = planner.containerToRun(pod).orElseThrow();

        assertThat(planner.plan(pod, target.getKey(), target.getValue(), 41000, new PodCredentials.None())
                        .env())
                .doesNotContainKey("KUBECONFIG");
        assertThat(planner.plan(
                                pod,
                                target.getKey(),
                                target.getValue(),
                                41000,
                                new PodCredentials.Kubeconfig(
                                        Path.of("/t/pod.kubeconfig"), "bot", Instant.MAX, Instant.MAX))
                        .env())
                .containsEntry("KUBECONFIG", "/t/pod.kubeconfig");
    }

    @Test
    void aKubeconfigThePodSetsItselfStillWins() throws Exception {
        Pod pod = pod(literal("KUBECONFIG", "/etc/own/kubeconfig"));
        var target = planner.containerToRun(pod).orElseThrow();

        assertThat(planner.plan(pod, target.getKey(), target.getValue(), 41000, new PodCredentials.None())
                        .env())
                .containsEntry("KUBECONFIG", "/etc/own/kubeconfig");
    }

    @Test
    void readinessPathAndThresholdComeFromTheProbe() throws Exception {
        Pod pod = withContainer(
                pod(),
                c -> c.withNewReadinessProbe()
                        .withFailureThreshold(5)
                        .withNewHttpGet()
                        .withPath("/ready")
                        .withPort(new IntOrString("http"))
                        .endHttpGet()
                        .endReadinessProbe());
        var target = planner.containerToRun(pod).orElseThrow();

        LaunchSpec spec = planner.plan(pod, target.getKey(), target.getValue(), 41002, RUNNER_LEVEL);

        assertThat(spec.readinessPath()).isEqualTo("/ready");
        assertThat(spec.readinessFailureThreshold()).isEqualTo(5);
    }

    @Test
    void onlyContainersWithAMatchingImageRun() {
        Pod pod = withContainer(pod(), c -> c.withImage("redis:7"));

        assertThat(planner.containerToRun(pod)).isEmpty();
    }

    private static Pod withContainer(Pod pod, UnaryOperator<ContainerBuilder> edit) {
        var container = edit.apply(
                        new ContainerBuilder(pod.getSpec().getContainers().getFirst()))
                .build();
        return new PodBuilder(pod)
                .editSpec()
                .withContainers(container)
                .endSpec()
                .build();
    }
}
