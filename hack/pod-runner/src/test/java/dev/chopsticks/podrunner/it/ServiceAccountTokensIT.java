package dev.chopsticks.podrunner.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.podrunner.PodRunner;
import dev.chopsticks.podrunner.PodRunnerConfig;
import dev.chopsticks.podrunner.ProcessInfo;
import dev.chopsticks.podrunner.ProcessState;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code serviceAccountTokens(true)} on the simulated cluster: a process authenticates as its Pod's ServiceAccount
 * (RBAC applies to it), a Pod without automount gets no credentials (not the runner's either), a Pod whose
 * ServiceAccount is missing does not start until it exists, and a token's kubeconfig lives only as long as its
 * process. The stand-in container is a shell that prints its {@code KUBECONFIG} and sleeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceAccountTokensIT {
    private static final Duration TIMEOUT = ItCluster.TIMEOUT;
    private static final String IMAGE = "chopsticks/sa-probe:it";
    private static final String APP = "sa-tokens-it";
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", APP);
    private static final String READER = "reader";

    private KubernetesClient client;
    private String namespace;
    /** The runner-level KUBECONFIG, as the e2e harness passes it: the test's admin one. */
    private String adminKubeconfig;

    private Path logs;
    private PodRunner runner;

    @BeforeEach
    void needsACluster() {
        ItCluster.assumeCluster(ServiceAccountTokensIT.class);
    }

    @BeforeAll
    void startRunnerWithServiceAccountTokens() {
        adminKubeconfig = System.getenv("KUBECONFIG");
        if (adminKubeconfig == null) {
            return;
        }
        client = ItCluster.client();
        namespace = ItCluster.createNamespace(client, "pod-runner-sa-it");
        logs = Path.of("target", "pod-runner-it", namespace, "logs").toAbsolutePath();
        serviceAccount(READER, null);
        serviceAccount("quiet", false);
        client.rbac()
                .roles()
                .inNamespace(namespace)
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("read-configmaps")
                        .endMetadata()
                        .withRules(new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("configmaps")
                                .withVerbs("get")
                                .build())
                        .build())
                .create();
        client.rbac()
                .roleBindings()
                .inNamespace(namespace)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("reader-reads-configmaps")
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("read-configmaps")
                        .endRoleRef()
                        .withSubjects(new SubjectBuilder()
                                .withKind("ServiceAccount")
                                .withName(READER)
                                .withNamespace(namespace)
                                .build())
                        .build())
                .create();
        client.configMaps()
                .inNamespace(namespace)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .endMetadata()
                        .withData(Map.of("mode", "test"))
                        .build())
                .create();

        runner = PodRunner.start(
                client,
                PodRunnerConfig.builder()
                        .namespace(namespace)
                        .labelSelector("app.kubernetes.io/name=" + APP)
                        .imageCommand(
                                "chopsticks/sa-probe*",
                                List.of("/bin/sh", "-c", "echo \"KUBECONFIG=${KUBECONFIG-unset}\"; exec sleep 600"))
                        .env("KUBECONFIG", adminKubeconfig)
                        .logDir(logs)
                        .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                        .serviceAccountTokens(true)
                        .build());
    }

    @AfterAll
    void cleanUp() {
        ItCluster.cleanUp(runner, client, namespace);
    }

    @Test
    @Order(1)
    void theProcessAuthenticatesAsThePodsServiceAccountAndRbacApplies() throws Exception {
        createPod(READER, READER, null, LABELS);
        ProcessInfo p = runner.awaitRunning(READER, null, TIMEOUT);
        Path kubeconfig = logs.resolve(namespace).resolve(READER + "-" + p.uid() + ".kubeconfig");

        assertThat(awaitLog(p)).contains("KUBECONFIG=" + kubeconfig).doesNotContain(adminKubeconfig);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
                .isEqualTo("rw-------");
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        assertThat(config.getNamespace()).isEqualTo(namespace);
        assertThat(config.getClientCertData()).isNull();
        try (KubernetesClient asPod =
                new KubernetesClientBuilder().withConfig(config).build()) {
            SelfSubjectReview review =
                    asPod.authentication().v1().selfSubjectReviews().create(new SelfSubjectReviewBuilder().build());
            assertThat(review.getStatus().getUserInfo().getUsername())
                    .isEqualTo("system:serviceaccount:" + namespace + ":" + READER);
            // Bound to this Pod incarnation, as a projected token is.
            assertThat(review.getStatus().getUserInfo().getExtra())
                    .containsEntry("authentication.kubernetes.io/pod-uid", List.of(p.uid()));

            assertThat(asPod.configMaps().withName("settings").get().getData()).containsEntry("mode", "test");
            assertThatThrownBy(() -> asPod.secrets().list())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> asPod.configMaps()
                            .inNamespace("kube-system")
                            .withName("kube-root-ca.crt")
                            .get())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    @Order(2)
    void aPodWithoutAutomountGetsNoCredentialsNotEvenTheRunners() {
        createPod("opted-out", READER, false, LABELS);
        // Unset on the Pod: the ServiceAccount's automountServiceAccountToken: false decides.
        createPod("quiet", "quiet", null, LABELS);

        for (String name : List.of("opted-out", "quiet")) {
            ProcessInfo p = runner.awaitRunning(name, null, TIMEOUT);
            assertThat(awaitLog(p)).contains("KUBECONFIG=unset");
            assertThat(logs.resolve(namespace).resolve(name + "-" + p.uid() + ".kubeconfig"))
                    .doesNotExist();
        }
    }

    @Test
    @Order(3)
    void aPodWhoseServiceAccountIsMissingWaitsNamingItAndStartsOnceItExists() {
        // The ServiceAccount admission plugin refuses Pods of a missing ServiceAccount, so: create the Pod while it
        // exists but outside the runner's selector, delete the ServiceAccount, then hand the Pod to the runner.
        String name = "haunted";
        serviceAccount("ghost", null);
        createPod(name, "ghost", null, Map.of("app.kubernetes.io/name", APP + "-later"));
        client.serviceAccounts().inNamespace(namespace).withName("ghost").delete();
        await().atMost(TIMEOUT)
                .until(() -> client.serviceAccounts()
                                .inNamespace(namespace)
                                .withName("ghost")
                                .get()
                        == null);
        client.pods()
                .inNamespace(namespace)
                .withName(name)
                .edit(pod -> new PodBuilder(pod)
                        .editMetadata()
                        .withLabels(LABELS)
                        .endMetadata()
                        .build());

        await().atMost(TIMEOUT)
                .until(() -> runner.process(name)
                        .map(p -> p.state() == ProcessState.WAITING_CONFIG)
                        .orElse(false));
        ContainerStateWaiting waiting = await().atMost(TIMEOUT)
                .until(
                        () -> waitingState(name).orElse(null),
                        w -> w != null && "CreateContainerConfigError".equals(w.getReason()));
        assertThat(waiting.getMessage()).contains("service account \"ghost\"", "not found");
        ItCluster.awaitWarningEvent(client, namespace, name, "\"ghost\"");
        assertThat(runner.process(name).orElseThrow().pid()).isEqualTo(-1);

        serviceAccount("ghost", null);

        ProcessInfo p = runner.awaitRunning(name, null, TIMEOUT);
        assertThat(awaitLog(p))
                .contains("KUBECONFIG=" + logs.resolve(namespace).resolve(name + "-" + p.uid() + ".kubeconfig"));
    }

    @Test
    @Order(4)
    void deletingThePodDeletesItsKubeconfigAndItsTokenStopsWorking() throws Exception {
        ProcessInfo p = runner.awaitRunning(READER, null, TIMEOUT);
        Path kubeconfig = logs.resolve(namespace).resolve(READER + "-" + p.uid() + ".kubeconfig");
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));

        client.pods().inNamespace(namespace).withName(READER).delete();

        runner.awaitNoProcess(READER, TIMEOUT);
        assertThat(kubeconfig).doesNotExist();
        try (KubernetesClient asPod =
                new KubernetesClientBuilder().withConfig(config).build()) {
            // The API server checks the Pod a token is bound to; its informer may lag a moment behind the deletion.
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThatThrownBy(() ->
                                    asPod.configMaps().withName("settings").get())
                            .isInstanceOfSatisfying(
                                    KubernetesClientException.class,
                                    e -> assertThat(e.getCode()).isEqualTo(401)));
        }
    }

    @Test
    @Order(5)
    void closingTheRunnerLeavesNoKubeconfig() throws IOException {
        assertThat(kubeconfigs()).isNotEmpty();

        runner.close();

        assertThat(kubeconfigs()).isEmpty();
    }

    private List<Path> kubeconfigs() throws IOException {
        try (Stream<Path> files = Files.list(logs.resolve(namespace))) {
            return files.filter(f -> f.getFileName().toString().contains(".kubeconfig"))
                    .toList();
        }
    }

    private Optional<ContainerStateWaiting> waitingState(String name) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
                .map(s -> s.getState().getWaiting())
                .findFirst();
    }

    private void serviceAccount(String name, Boolean automount) {
        client.serviceAccounts()
                .inNamespace(namespace)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withAutomountServiceAccountToken(automount)
                        .build())
                .create();
    }

    private void createPod(String name, String serviceAccount, Boolean automount, Map<String, String> labels) {
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withServiceAccountName(serviceAccount)
                        .withAutomountServiceAccountToken(automount)
                        .withTerminationGracePeriodSeconds(1L)
                        .withTolerations(ItCluster.KWOK_NODE)
                        .addNewContainer()
                        .withName("probe")
                        .withImage(IMAGE)
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    private static String awaitLog(ProcessInfo p) {
        return ItCluster.awaitLog(p, "KUBECONFIG=");
    }
}
