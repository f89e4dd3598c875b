package dev.chopsticks.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tier 2: the committed CRDs on a real kube-apiserver (etcd + kube-apiserver built by hack/tools.sh). The API server
 * itself must reject every invalid object with a readable message and fill in the defaults for valid ones.
 */
@EnableKubeAPIServer
class CrdValidationIT {
    private static final String NS = "crd-validation";

    static KubernetesClient client;

    @KubeConfig
    static String kubeConfigYaml;

    private static final String VALID = """
      apiVersion: chopsticks.dev/v1alpha1
      kind: ChopsticksCluster
      metadata:
        name: %s
        namespace: crd-validation
      spec:
        guilds: 16000
        bot:
          image: ghcr.io/chopsticks/bot-runtime:0.1.0
          discordToken: {name: discord, key: token}
        postgres:
          connectionSecret: chopsticks-db
      """;

    @BeforeAll
    static void installCrds() {
        for (Class<? extends CustomResource<?, ?>> kind : GeneratedCrds.KINDS) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(GeneratedCrds.committed(kind).toFile())
                    .item();
            client.resource(crd).serverSideApply();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                CustomResourceDefinition current = client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .get();
                return current != null
                        && current.getStatus() != null
                        && current.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Established")
                                        && c.getStatus().equals("True"));
            });
        }
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    private static GenericKubernetesResource create(String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        GenericKubernetesResource.class);
        return client.resource(resource).create();
    }

    /** Each case edits the valid object (a YAML line replaced, or added under a parent line) and names the message. */
    static Stream<Arguments> invalidClusters() {
        return Stream.of(
                bad(
                        "guilds below 1",
                        "guilds: 16000",
                        "guilds: 0",
                        "spec.guilds: Invalid value: 0: spec.guilds in body should be greater than or equal to 1"),
                bad("guilds missing", "  guilds: 16000\n", "", "spec.guilds: Required value"),
                bad(
                        "guildsPerShard above Discord's 2500",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {guildsPerShard: 3000}",
                        "spec.sharding.guildsPerShard in body should be less than or equal to 2500"),
                bad(
                        "explicit shards too few",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shards: 6}",
                        "sharding.shards is too few for spec.guilds: Discord allows at most 2500 guilds per shard"),
                bad(
                        "shardsPerPod below 1",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shardsPerPod: 0}",
                        "spec.sharding.shardsPerPod in body should be greater than or equal to 1"),
                bad(
                        "maxConcurrency not a power of two",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {maxConcurrency: 12}",
                        "maxConcurrency must be a power of two (1, 2, 4, ... 1024) at or below Discord's session_start_limit.max_concurrency"),
                bad(
                        "maxConcurrency zero",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {maxConcurrency: 0}",
                        "spec.sharding.maxConcurrency in body should be greater than or equal to 1"),
                bad(
                        "negative shardCountMultiple",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shardCountMultiple: -16}",
                        "spec.sharding.shardCountMultiple in body should be greater than or equal to 1"),
                bad(
                        "pgbouncer pool above postgres maxConnections",
                        "connectionSecret: chopsticks-db",
                        "connectionSecret: chopsticks-db\n    maxConnections: 40\n  pgbouncer: {replicas: 2, defaultPoolSize: 25}",
                        "pgbouncer.replicas * pgbouncer.defaultPoolSize must not exceed postgres.maxConnections"),
                bad(
                        "negative pool size",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {defaultPoolSize: -1}",
                        "spec.pgbouncer.defaultPoolSize in body should be greater than or equal to 1"),
                bad(
                        "unknown pool mode",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {poolMode: statement}",
                        "spec.pgbouncer.poolMode: Unsupported value: \"statement\": supported values: \"session\", \"transaction\""),
                bad(
                        "unknown redis mode",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {mode: sentinel}",
                        "spec.redis.mode: Unsupported value: \"sentinel\""),
                bad(
                        "unknown eviction policy",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {maxMemoryPolicy: lru}",
                        "spec.redis.maxMemoryPolicy: Unsupported value: \"lru\""),
                bad(
                        "maxMemory not a size",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {maxMemory: lots}",
                        "spec.redis.maxMemory in body should match"),
                bad(
                        "external redis without a URL",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {mode: external}",
                        "redis.mode external needs redis.external.urlSecretRef or redis.external.clusterNodes"),
                bad(
                        "missing image",
                        "    image: ghcr.io/chopsticks/bot-runtime:0.1.0\n",
                        "",
                        "spec.bot.image: Required value"),
                bad(
                        "empty image",
                        "image: ghcr.io/chopsticks/bot-runtime:0.1.0",
                        "image: \"\"",
                        "spec.bot.image in body should be at least 1 chars long"),
                bad(
                        "missing token ref",
                        "    discordToken: {name: discord, key: token}\n",
                        "",
                        "spec.bot.discordToken: Required value"),
                bad(
                        "token ref without key",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord}",
                        "spec.bot.discordToken.key: Required value"),
                bad(
                        "pool min above max",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    pgPool: {max: 5, min: 8}",
                        "pgPool.min must not exceed pgPool.max"),
                bad(
                        "negative cache size",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {guildMax: -5}",
                        "spec.bot.cache.guildMax in body should be greater than or equal to 1"),
                bad(
                        "cache TTL not a duration",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {guildTtl: soon}",
                        "spec.bot.cache.guildTtl in body should match"),
                bad(
                        "env entry with value and secret",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: A, value: b, secretKeyRef: {name: s, key: k}}]",
                        "env entries need exactly one of value or secretKeyRef"),
                bad(
                        "postgres maxConnections zero",
                        "connectionSecret: chopsticks-db",
                        "connectionSecret: chopsticks-db\n    maxConnections: 0",
                        "spec.postgres.maxConnections in body should be greater than or equal to 1"),
                bad(
                        "missing postgres secret",
                        "    connectionSecret: chopsticks-db\n",
                        "    maxConnections: 200\n",
                        "spec.postgres.connectionSecret: Required value"),
                bad(
                        "negative restart cap",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {maxRestartsPerHour: -1}",
                        "spec.rollout.maxRestartsPerHour in body should be greater than or equal to 0"),
                bad(
                        "dashboard without admin token",
                        "guilds: 16000",
                        "guilds: 16000\n  dashboard: {enabled: true}",
                        "dashboard.enabled needs dashboard.adminToken"),
                bad(
                        "gateway URL not a websocket URL",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    gatewayUrl: http://gateway",
                        "spec.bot.gatewayUrl in body should match"));
    }

    private static Arguments bad(String name, String from, String to, String expectedMessage) {
        return Arguments.of(name, from, to, expectedMessage);
    }

    @ParameterizedTest(name = "rejects: {0}")
    @MethodSource("invalidClusters")
    void apiServerRejectsInvalidCluster(String name, String from, String to, String expectedMessage) {
        String yaml = VALID.formatted("bad-" + Math.abs(name.hashCode()));
        assertThat(yaml).as("test case edits the base object").contains(from);
        String invalid = yaml.replace(from, to);

        assertThatThrownBy(() -> create(invalid))
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void apiServerRejectsShardIdOutOfRange() {
        String shard = """
        apiVersion: chopsticks.dev/v1alpha1
        kind: Shard
        metadata: {name: c-9, namespace: crd-validation}
        spec: {cluster: c, shardId: 9, shardCount: 8}
        """;
        assertThatThrownBy(() -> create(shard)).hasMessageContaining("shardId must be less than shardCount");
    }

    @Test
    @SuppressWarnings("unchecked")
    void validClusterIsAcceptedWithDefaultsFilledByTheApiServer() {
        GenericKubernetesResource created = create(VALID.formatted("valid"));
        Map<String, Object> spec =
                (Map<String, Object>) created.getAdditionalProperties().get("spec");

        assertThat((Map<String, Object>) spec.get("sharding"))
                .containsEntry("guildsPerShard", 2000)
                .containsEntry("shardsPerPod", 1)
                .containsEntry("maxConcurrency", 1);
        assertThat((Map<String, Object>) spec.get("pgbouncer"))
                .containsEntry("enabled", true)
                .containsEntry("poolMode", "transaction")
                .containsEntry("defaultPoolSize", 25)
                .containsEntry("maxClientConn", 1000);
        assertThat((Map<String, Object>) spec.get("redis"))
                .containsEntry("mode", "managed")
                .containsEntry("maxMemory", "256mb")
                .containsEntry("maxMemoryPolicy", "allkeys-lru")
                .containsEntry("appendOnly", true);
        assertThat((Map<String, Object>) ((Map<String, Object>) spec.get("bot")).get("cache"))
                .containsEntry("guildMax", 2000)
                .containsEntry("guildTtl", "60s")
                .containsEntry("userMax", 5000)
                .containsEntry("userTtl", "30s")
                .containsEntry("redisGuildTtl", "60s");
        assertThat((Map<String, Object>) ((Map<String, Object>) spec.get("bot")).get("pgPool"))
                .containsEntry("max", 5)
                .containsEntry("min", 2);
        assertThat((Map<String, Object>) spec.get("postgres")).containsEntry("maxConnections", 200);
        assertThat((Map<String, Object>) spec.get("rollout")).containsEntry("respawnDelay", "5.5s");

        // And the typed view agrees with the server's defaults.
        ChopsticksCluster typed = client.resources(ChopsticksCluster.class)
                .inNamespace(NS)
                .withName("valid")
                .get();
        assertThat(typed.getSpec().sharding().guildsPerShard()).isEqualTo(2000);
    }

    @Test
    void kubectlGetShardsPrintsThePromisedColumns() throws Exception {
        Shard shard = client.resource(new Shard(NS, "chopsticks-3", new ShardSpec("chopsticks", 3, 8)))
                .create();
        shard.setStatus(new ShardStatus(
                "3/8",
                ShardPhase.Ready,
                2011,
                41L,
                "chopsticks-shards-3",
                2,
                "2026-11-29T06:00:00Z",
                "2026-11-29T06:01:00Z",
                null,
                null));
        client.resource(shard).updateStatus();

        List<String> lines = kubectl("get", "shards", "-n", NS);
        assertThat(lines.get(0).trim().split("\\s+"))
                .containsExactly("NAME", "CLUSTER", "SHARD", "PHASE", "GUILDS", "PING", "POD", "RESTARTS", "AGE");
        String row = lines.stream()
                .filter(l -> l.startsWith("chopsticks-3 "))
                .findFirst()
                .orElseThrow();
        assertThat(Arrays.asList(row.trim().split("\\s+")).subList(0, 8))
                .containsExactly(
                        "chopsticks-3", "chopsticks", "3/8", "Ready", "2011", "41", "chopsticks-shards-3", "2");

        create(VALID.formatted("columns"));
        List<String> clusters = kubectl("get", "ccl", "-n", NS, "columns");
        assertThat(clusters.get(0).trim().split("\\s+"))
                .containsExactly("NAME", "GUILDS", "SHARDS", "READY", "PHASE", "AGE");
        assertThat(kubectl("get", "chopsticks", "-n", NS))
                .anySatisfy(l -> assertThat(l).startsWith("shard.chopsticks.dev/chopsticks-3"));
    }

    private static List<String> kubectl(String... args) throws IOException, InterruptedException {
        Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, kubeConfigYaml);
        try {
            List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
            command.addAll(List.of(args));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("kubectl finished")
                    .isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue())
                    .as("kubectl %s: %s", String.join(" ", args), output)
                    .isZero();
            return output.lines().toList();
        } finally {
            Files.deleteIfExists(kubeconfig);
        }
    }
}
