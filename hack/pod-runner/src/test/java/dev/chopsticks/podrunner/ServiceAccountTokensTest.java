package dev.chopsticks.podrunner;

import static dev.chopsticks.podrunner.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAccountTokensTest {
    @TempDir
    Path dir;

    @Test
    void thePodsOwnAutomountSettingWinsOverItsServiceAccounts() {
        assertThat(ServiceAccountTokens.automount(automount(pod(), false), account(true)))
                .isFalse();
        assertThat(ServiceAccountTokens.automount(automount(pod(), true), account(false)))
                .isTrue();
    }

    @Test
    void unsetOnThePodTheServiceAccountDecidesAndUnsetOnBothItIsOn() {
        assertThat(ServiceAccountTokens.automount(pod(), account(false))).isFalse();
        assertThat(ServiceAccountTokens.automount(pod(), account(true))).isTrue();
        assertThat(ServiceAccountTokens.automount(pod(), account(null))).isTrue();
        // A missing ServiceAccount: the token request then fails, naming it.
        assertThat(ServiceAccountTokens.automount(pod(), null)).isTrue();
    }

    @Test
    void theServiceAccountDefaultsToDefault() {
        assertThat(ServiceAccountTokens.serviceAccountOf(pod())).isEqualTo("bot");
        Pod unnamed = new PodBuilder(pod())
                .editSpec()
                .withServiceAccountName(null)
                .endSpec()
                .build();
        assertThat(ServiceAccountTokens.serviceAccountOf(unnamed)).isEqualTo("default");
    }

    @Test
    void theTokenIsBoundToThePodIncarnationForAnHour() {
        var spec = ServiceAccountTokens.requestFor(pod()).getSpec();

        assertThat(spec.getExpirationSeconds()).isEqualTo(3600L);
        assertThat(spec.getBoundObjectRef().getKind()).isEqualTo("Pod");
        assertThat(spec.getBoundObjectRef().getApiVersion()).isEqualTo("v1");
        assertThat(spec.getBoundObjectRef().getName()).isEqualTo("bot-shards-3");
        assertThat(spec.getBoundObjectRef().getUid()).isEqualTo("uid-1234");
    }

    @Test
    void renewsAtFourFifthsOfTheTokensLife() {
        Instant issued = Instant.parse("2025-01-01T00:00:00Z");

        assertThat(ServiceAccountTokens.renewAt(issued, issued.plusSeconds(3600)))
                .isEqualTo(Instant.parse("2025-01-01T00:48:00Z"));
    }

    @Test
    void theKubeconfigSitsBesideTheIncarnationsLog() {
        PodRunnerConfig config = PodRunnerConfig.builder()
                .imageCommand("x=y")
                .logDir(Path.of("/logs"))
                .build();

        assertThat(ServiceAccountTokens.fileOf(config, new PodId("e2e", "bot-0", "u-1")))
                .isEqualTo(Path.of("/logs/e2e/bot-0-u-1.kubeconfig"));
    }

    @Test
    void theClusterCaIsReadFromItsFileWhenTheConfigHasNoData() throws Exception {
        Path ca = dir.resolve("ca.crt");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:26443/")
                .withCaCertFile(ca.toString())
                .build();

        var endpoint = ServiceAccountTokens.ClusterEndpoint.of(config);

        assertThat(endpoint.server()).isEqualTo("https://127.0.0.1:26443/");
        assertThat(new String(Base64.getDecoder().decode(endpoint.certificateAuthorityData()), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(ca));
        assertThat(endpoint.insecureSkipTlsVerify()).isFalse();
    }

    @Test
    void leftoverKubeconfigsAreRemovedButNothingElse() throws Exception {
        Files.writeString(dir.resolve("bot-0-u-1.kubeconfig"), "{}");
        Files.writeString(dir.resolve(".bot-0-u-1.kubeconfig123.tmp"), "{");
        Files.writeString(dir.resolve("bot-0-u-1.log"), "log");
        Files.writeString(dir.resolve("a.kubeconfig-u-2.log"), "a pod named a.kubeconfig");

        assertThat(ServiceAccountTokens.removeLeftovers(dir)).isEqualTo(2);

        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("bot-0-u-1.log", "a.kubeconfig-u-2.log");
        }
        assertThat(ServiceAccountTokens.removeLeftovers(dir.resolve("absent"))).isZero();
    }

    @Test
    void privateFilesAreOwnerOnlyAndReplacedWhole() throws Exception {
        Path file = dir.resolve("ns").resolve("p-u.kubeconfig");

        PrivateFiles.replace(file, "first".getBytes(StandardCharsets.UTF_8));
        PrivateFiles.replace(file, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    private static Pod automount(Pod pod, boolean value) {
        return new PodBuilder(pod)
                .editSpec()
                .withAutomountServiceAccountToken(value)
                .endSpec()
                .build();
    }

    private static ServiceAccount account(Boolean automount) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("bot")
                .withNamespace("e2e")
                .endMetadata()
                .withAutomountServiceAccountToken(automount)
                .build();
    }
}
