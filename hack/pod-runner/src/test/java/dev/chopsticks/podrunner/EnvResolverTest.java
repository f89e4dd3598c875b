package dev.chopsticks.podrunner;

import static dev.chopsticks.podrunner.TestPods.configMap;
import static dev.chopsticks.podrunner.TestPods.field;
import static dev.chopsticks.podrunner.TestPods.literal;
import static dev.chopsticks.podrunner.TestPods.pod;
import static dev.chopsticks.podrunner.TestPods.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
    private final FakeConfigSource source = new FakeConfigSource()
            .secret("e2e", "discord", Map.of("token", "s3cr3t", "user", "bot"))
            .secret("e2e", "pg", Map.of("password", "$(NOT_EXPANDED)"))
            .configMap("e2e", "settings", Map.of("level", "debug"));
    private final EnvResolver resolver = new EnvResolver(source, new HostResources(8, 16L << 30));

    private Map<String, String> resolve(EnvVar... env) throws MissingReferenceException {
        return resolve(Map.of(), env);
    }

    private Map<String, String> resolve(Map<String, String> overrides, EnvVar... env) throws MissingReferenceException {
        Pod pod = pod(env);
        return resolver.resolve(pod, pod.getSpec().getContainers().getFirst(), overrides);
    }

    @Test
    void expandsReferencesToEarlierVariablesOnly() throws Exception {
        var env = resolve(
                literal("USER", "bot"), literal("URL", "postgres://$(USER)@$(HOST):5432"), literal("HOST", "db"));

        // HOST is defined after URL: Kubernetes leaves the reference as written.
        assertThat(env).containsEntry("URL", "postgres://bot@$(HOST):5432");
    }

    @Test
    void laterEntryWithTheSameNameWins() throws Exception {
        var env = resolve(literal("A", "first"), literal("B", "$(A)"), literal("A", "second"), literal("C", "$(A)"));

        assertThat(env).containsEntry("A", "second").containsEntry("B", "first").containsEntry("C", "second");
    }

    @Test
    void readsSecretAndConfigMapKeysWithoutExpandingTheirValues() throws Exception {
        var env = resolve(
                secret("DISCORD_TOKEN", "discord", "token", null),
                secret("PGPASSWORD", "pg", "password", null),
                configMap("LOG_LEVEL", "settings", "level", null),
                literal("NOT_EXPANDED", "x"),
                literal("AUTH", "Bot $(DISCORD_TOKEN)"));

        assertThat(env)
                .containsEntry("DISCORD_TOKEN", "s3cr3t")
                .containsEntry("PGPASSWORD", "$(NOT_EXPANDED)")
                .containsEntry("LOG_LEVEL", "debug")
                .containsEntry("AUTH", "Bot s3cr3t");
    }

    @Test
    void missingOptionalReferenceLeavesTheVariableAsItWas() throws Exception {
        var env = resolve(
                literal("TOKEN", "default"),
                secret("TOKEN", "absent", "token", true),
                secret("OTHER", "discord", "absent-key", true),
                configMap("LEVEL", "absent", "level", true));

        assertThat(env).containsEntry("TOKEN", "default").doesNotContainKeys("OTHER", "LEVEL");
    }

    @Test
    void missingRequiredSecretIsAnErrorInTheKubeletsWords() {
        assertThatThrownBy(() -> resolve(secret("TOKEN", "absent", "token", null)))
                .isInstanceOf(MissingReferenceException.class)
                .hasMessage("secret \"absent\" not found");
        assertThatThrownBy(() -> resolve(secret("TOKEN", "discord", "nope", false)))
                .isInstanceOf(MissingReferenceException.class)
                .hasMessage("couldn't find key nope in Secret e2e/discord");
        assertThatThrownBy(() -> resolve(configMap("LEVEL", "settings", "nope", null)))
                .isInstanceOf(MissingReferenceException.class)
                .hasMessage("couldn't find key nope in ConfigMap e2e/settings");
    }

    @Test
    void resolvesDownwardApiFields() throws Exception {
        var env = resolve(
                field("POD_NAME", "metadata.name"),
                field("POD_NAMESPACE", "metadata.namespace"),
                field("POD_UID", "metadata.uid"),
                field("NODE", "spec.nodeName"),
                field("POD_IP", "status.podIP"),
                field("COMPONENT", "metadata.labels['app.kubernetes.io/component']"),
                field("MISSING", "metadata.labels['absent']"),
                field("NOTE", "metadata.annotations['note']"),
                literal("SELF", "$(POD_NAME).$(POD_NAMESPACE)"));

        assertThat(env)
                .containsEntry("POD_NAME", "bot-shards-3")
                .containsEntry("POD_NAMESPACE", "e2e")
                .containsEntry("POD_UID", "uid-1234")
                .containsEntry("NODE", "kwok-node-1")
                .containsEntry("POD_IP", "127.0.0.1")
                .containsEntry("COMPONENT", "shard")
                .containsEntry("MISSING", "")
                .containsEntry("NOTE", "hi")
                .containsEntry("SELF", "bot-shards-3.e2e");
    }

    @Test
    void resolvesResourceFieldsRoundingUp() throws Exception {
        Pod pod = pod(
                resource("CPU_LIMIT", "limits.cpu", null),
                resource("CPU_REQUEST_MILLI", "requests.cpu", "1m"),
                resource("MEM_LIMIT_MI", "limits.memory", "1Mi"),
                resource("MEM_REQUEST", "requests.memory", null));
        Container container = new ContainerBuilder(pod.getSpec().getContainers().getFirst())
                .withNewResources()
                .addToLimits("cpu", new Quantity("1500m"))
                .addToRequests("cpu", new Quantity("250m"))
                .endResources()
                .build();

        var env = resolver.resolve(pod, container, Map.of());

        assertThat(env)
                .containsEntry("CPU_LIMIT", "2")
                .containsEntry("CPU_REQUEST_MILLI", "250")
                // No memory limit: the host's capacity, as the kubelet substitutes the node's allocatable.
                .containsEntry("MEM_LIMIT_MI", Long.toString(16L << 10))
                .containsEntry("MEM_REQUEST", "0");
    }

    @Test
    void overrideReplacesThePodsValueWhereDefinedSoLaterReferencesSeeIt() throws Exception {
        var env = resolve(
                Map.of("HTTP_PORT", "40123", "EXTRA", "x"),
                literal("HTTP_PORT", "8080"),
                literal("SELF_URL", "http://localhost:$(HTTP_PORT)/"));

        assertThat(env)
                .containsEntry("HTTP_PORT", "40123")
                .containsEntry("SELF_URL", "http://localhost:40123/")
                .containsEntry("EXTRA", "x");
    }

    @Test
    void envFromComesFirstWithItsPrefixAndEnvOverridesIt() throws Exception {
        Pod pod = pod(literal("DISCORD_user", "override"));
        Container container = new ContainerBuilder(pod.getSpec().getContainers().getFirst())
                .addNewEnvFrom()
                .withPrefix("DISCORD_")
                .withNewSecretRef()
                .withName("discord")
                .endSecretRef()
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName("absent")
                .withOptional(true)
                .endConfigMapRef()
                .endEnvFrom()
                .build();

        var env = resolver.resolve(pod, container, Map.of());

        assertThat(env).containsEntry("DISCORD_token", "s3cr3t").containsEntry("DISCORD_user", "override");
    }

    private static EnvVar resource(String name, String resource, String divisor) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource(resource)
                .withDivisor(divisor == null ? null : new Quantity(divisor))
                .endResourceFieldRef()
                .endValueFrom()
                .build();
    }
}
