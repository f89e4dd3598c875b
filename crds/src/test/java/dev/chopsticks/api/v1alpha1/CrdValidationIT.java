package dev.chopsticks.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
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
        BadInputTable.reset();
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
                        "spec.redis.maxMemory: Forbidden: redis.maxMemory must be a Redis size such as 256mb or 1gb"),
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
                        "spec.bot.cache.guildTtl: Forbidden: bot.cache.guildTtl must be a duration from 1ms to 24h"),
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
                        "bot.gatewayUrl must be a ws:// or wss:// URL"),
                bad(
                        "guilds 2^40 (the operator ran out of memory on it)",
                        "guilds: 16000",
                        "guilds: 1099511627776",
                        "spec.guilds in body should be less than or equal to 50000000"),
                bad(
                        "guilds needing more than 20000 shards",
                        "guilds: 16000",
                        "guilds: 30000000\n  sharding: {guildsPerShard: 1000}",
                        "spec.guilds needs more than 20000 shards at sharding.guildsPerShard"),
                bad(
                        "guilds not a number",
                        "guilds: 16000",
                        "guilds: lots",
                        "spec.guilds in body must be of type integer"),
                bad("guilds a fraction", "guilds: 16000", "guilds: 1.5", "spec.guilds in body must be of type integer"),
                bad(
                        "shards above an int (stopped the operator's informer)",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shards: 3000000000}",
                        "spec.sharding.shards in body should be less than or equal to 20000"),
                bad(
                        "shards above 20000",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shards: 20001}",
                        "spec.sharding.shards in body should be less than or equal to 20000"),
                bad(
                        "guildsPerShard zero",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {guildsPerShard: 0}",
                        "spec.sharding.guildsPerShard in body should be greater than or equal to 1"),
                bad(
                        "shardsPerPod above 64",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shardsPerPod: 65}",
                        "spec.sharding.shardsPerPod in body should be less than or equal to 64"),
                bad(
                        "maxConcurrency above 1024",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {maxConcurrency: 2048}",
                        "spec.sharding.maxConcurrency in body should be less than or equal to 1024"),
                bad(
                        "maxConcurrency 3",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {maxConcurrency: 3}",
                        "maxConcurrency must be a power of two"),
                bad(
                        "shardCountMultiple 3 with maxConcurrency 16",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {maxConcurrency: 16, shardCountMultiple: 3}",
                        "shardCountMultiple must be a multiple of maxConcurrency"),
                bad(
                        "shardCountMultiple above 1024",
                        "guilds: 16000",
                        "guilds: 16000\n  sharding: {shardCountMultiple: 2048}",
                        "spec.sharding.shardCountMultiple in body should be less than or equal to 1024"),
                bad(
                        "image with a space",
                        "image: ghcr.io/chopsticks/bot-runtime:0.1.0",
                        "image: \"ghcr.io/chopsticks/bot runtime:0.1.0\"",
                        "spec.bot.image: Forbidden: bot.image must be an image reference"),
                bad(
                        "image with upper-case path",
                        "image: ghcr.io/chopsticks/bot-runtime:0.1.0",
                        "image: ghcr.io/Chopsticks/Bot-Runtime:0.1.0",
                        "bot.image must be an image reference"),
                bad(
                        "image with an empty tag",
                        "image: ghcr.io/chopsticks/bot-runtime:0.1.0",
                        "image: \"ghcr.io/chopsticks/bot-runtime:\"",
                        "bot.image must be an image reference"),
                bad(
                        "image with a bad digest",
                        "image: ghcr.io/chopsticks/bot-runtime:0.1.0",
                        "image: ghcr.io/chopsticks/bot-runtime@sha256:abc",
                        "bot.image must be an image reference"),
                bad(
                        "image longer than 512",
                        "image: ghcr.io/chopsticks/bot-runtime:0.1.0",
                        "image: ghcr.io/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:1",
                        "spec.bot.image: Too long: may not be more than 512 bytes"),
                bad(
                        "DISCORD_TOKEN in bot.env (the token would sit in the pod spec)",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: DISCORD_TOKEN, value: abc}]",
                        "bot.env must not set DISCORD_TOKEN: the operator sets it from spec.bot.discordToken"),
                bad(
                        "SHARD_COUNT in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: SHARD_COUNT, value: \"3\"}]",
                        "bot.env must not set SHARD_COUNT: the operator sets it from spec.guilds or spec.sharding.shards"),
                bad(
                        "MAX_CONCURRENCY in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: MAX_CONCURRENCY, value: \"16\"}]",
                        "bot.env must not set MAX_CONCURRENCY: the operator sets it from spec.sharding.maxConcurrency"),
                bad(
                        "SHARD_IDS in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: SHARD_IDS, value: 0-3}]",
                        "bot.env must not set SHARD_IDS"),
                bad(
                        "REDIS_URL from a Secret in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: REDIS_URL, secretKeyRef: {name: r, key: url}}]",
                        "bot.env must not set REDIS_URL: the operator sets it from spec.redis"),
                bad(
                        "POSTGRES_URL in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: POSTGRES_URL, value: \"postgres://x\"}]",
                        "bot.env must not set POSTGRES_URL: the operator sets it from spec.postgres.connectionSecret"),
                bad(
                        "PG_POOL_MAX in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: PG_POOL_MAX, value: \"9\"}]",
                        "bot.env must not set PG_POOL_MAX: the operator sets it from spec.bot.pgPool.max"),
                bad(
                        "ADMIN_TOKEN in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: ADMIN_TOKEN, value: x}]",
                        "bot.env must not set ADMIN_TOKEN: the operator sets it from spec.dashboard.adminToken"),
                bad(
                        "POD_NAME in bot.env",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: POD_NAME, value: x}]",
                        "bot.env must not set POD_NAME: the operator sets it from the operator"),
                bad(
                        "env name starting with a digit",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: 1ABC, value: x}]",
                        "env names must be letters, digits and '_'"),
                bad(
                        "env entry with neither value nor secret",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: A}]",
                        "env entries need exactly one of value or secretKeyRef"),
                bad(
                        "env with 101 entries",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: V0, value: x}, {name: V1, value: x}, {name: V2, value: x}, {name: V3, value: x}, {name: V4, value: x}, {name: V5, value: x}, {name: V6, value: x}, {name: V7, value: x}, {name: V8, value: x}, {name: V9, value: x}, {name: V10, value: x}, {name: V11, value: x}, {name: V12, value: x}, {name: V13, value: x}, {name: V14, value: x}, {name: V15, value: x}, {name: V16, value: x}, {name: V17, value: x}, {name: V18, value: x}, {name: V19, value: x}, {name: V20, value: x}, {name: V21, value: x}, {name: V22, value: x}, {name: V23, value: x}, {name: V24, value: x}, {name: V25, value: x}, {name: V26, value: x}, {name: V27, value: x}, {name: V28, value: x}, {name: V29, value: x}, {name: V30, value: x}, {name: V31, value: x}, {name: V32, value: x}, {name: V33, value: x}, {name: V34, value: x}, {name: V35, value: x}, {name: V36, value: x}, {name: V37, value: x}, {name: V38, value: x}, {name: V39, value: x}, {name: V40, value: x}, {name: V41, value: x}, {name: V42, value: x}, {name: V43, value: x}, {name: V44, value: x}, {name: V45, value: x}, {name: V46, value: x}, {name: V47, value: x}, {name: V48, value: x}, {name: V49, value: x}, {name: V50, value: x}, {name: V51, value: x}, {name: V52, value: x}, {name: V53, value: x}, {name: V54, value: x}, {name: V55, value: x}, {name: V56, value: x}, {name: V57, value: x}, {name: V58, value: x}, {name: V59, value: x}, {name: V60, value: x}, {name: V61, value: x}, {name: V62, value: x}, {name: V63, value: x}, {name: V64, value: x}, {name: V65, value: x}, {name: V66, value: x}, {name: V67, value: x}, {name: V68, value: x}, {name: V69, value: x}, {name: V70, value: x}, {name: V71, value: x}, {name: V72, value: x}, {name: V73, value: x}, {name: V74, value: x}, {name: V75, value: x}, {name: V76, value: x}, {name: V77, value: x}, {name: V78, value: x}, {name: V79, value: x}, {name: V80, value: x}, {name: V81, value: x}, {name: V82, value: x}, {name: V83, value: x}, {name: V84, value: x}, {name: V85, value: x}, {name: V86, value: x}, {name: V87, value: x}, {name: V88, value: x}, {name: V89, value: x}, {name: V90, value: x}, {name: V91, value: x}, {name: V92, value: x}, {name: V93, value: x}, {name: V94, value: x}, {name: V95, value: x}, {name: V96, value: x}, {name: V97, value: x}, {name: V98, value: x}, {name: V99, value: x}, {name: V100, value: x}]",
                        "spec.bot.env: Too many: 101: must have at most 100 items"),
                bad(
                        "env secret with an upper-case name",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    env: [{name: A, secretKeyRef: {name: Bad_Name, key: k}}]",
                        "the Secret name must be a Secret name"),
                bad(
                        "token Secret with an upper-case name",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: Discord, key: token}",
                        "spec.bot.discordToken.name: Forbidden: the Secret name must be a Secret name"),
                bad(
                        "token key with a slash",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: to/ken}",
                        "spec.bot.discordToken.key: Forbidden: the Secret key may hold only letters"),
                bad(
                        "gateway URL with a space",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    gatewayUrl: \"ws://gate way\"",
                        "bot.gatewayUrl must be a ws:// or wss:// URL"),
                bad(
                        "API URL not http",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    apiBaseUrl: ftp://discord",
                        "bot.apiBaseUrl must be an http:// or https:// URL"),
                bad(
                        "garbage CPU request (was an HTTP 500 from the StatefulSet apply)",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    resources: {requests: {cpu: lots}}",
                        "resources.requests values must be Kubernetes quantities"),
                bad(
                        "garbage memory limit",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    resources: {limits: {memory: \"512 MB\"}}",
                        "resources.limits values must be Kubernetes quantities"),
                bad(
                        "pgbouncer image with a space",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {image: \"edoburu/pg bouncer:1\"}",
                        "pgbouncer.image must be an image reference"),
                bad(
                        "pgbouncer replicas above 20",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {replicas: 21}",
                        "spec.pgbouncer.replicas in body should be less than or equal to 20"),
                bad(
                        "pgbouncer replicas zero",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {replicas: 0}",
                        "spec.pgbouncer.replicas in body should be greater than or equal to 1"),
                bad(
                        "pgbouncer maxClientConn above 100000",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {maxClientConn: 100001}",
                        "spec.pgbouncer.maxClientConn in body should be less than or equal to 100000"),
                bad(
                        "pgbouncer pool above PostgreSQL's limit",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {defaultPoolSize: 300000}",
                        "spec.pgbouncer.defaultPoolSize in body should be less than or equal to 262143"),
                bad(
                        "pgbouncer enabled not a boolean",
                        "guilds: 16000",
                        "guilds: 16000\n  pgbouncer: {enabled: maybe}",
                        "spec.pgbouncer.enabled in body must be of type boolean"),
                bad(
                        "postgres maxConnections above PostgreSQL's limit",
                        "connectionSecret: chopsticks-db",
                        "connectionSecret: chopsticks-db\n    maxConnections: 300000",
                        "spec.postgres.maxConnections in body should be less than or equal to 262143"),
                bad(
                        "postgres Secret with an upper-case name",
                        "connectionSecret: chopsticks-db",
                        "connectionSecret: Chopsticks-DB",
                        "spec.postgres.connectionSecret: Forbidden: postgres.connectionSecret must be a Secret name"),
                bad(
                        "redis image with a space",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {image: \"redis:7.4 alpine\"}",
                        "redis.image must be an image reference"),
                bad(
                        "redis storage not a quantity",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {storageSize: lots}",
                        "redis.storageSize must be a positive Kubernetes quantity"),
                bad(
                        "redis storage zero",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {storageSize: \"0\"}",
                        "redis.storageSize must be a positive Kubernetes quantity"),
                bad(
                        "redis cluster node without a port",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {mode: external, external: {clusterNodes: [redis-0]}}",
                        "redis.external.clusterNodes entries must be host:port"),
                bad(
                        "redis URL Secret with an upper-case name",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {mode: external, external: {urlSecretRef: {name: R, key: url}}}",
                        "the Secret name must be a Secret name"),
                bad(
                        "redis appendOnly not a boolean",
                        "guilds: 16000",
                        "guilds: 16000\n  redis: {appendOnly: maybe}",
                        "spec.redis.appendOnly in body must be of type boolean"),
                bad(
                        "heartbeatTimeout 0s (respawned a healthy shard 10 times in 2 s)",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {heartbeatTimeout: 0s}",
                        "rollout.heartbeatTimeout must be a duration from 82.5s to 24h"),
                bad(
                        "heartbeatTimeout below two heartbeat intervals",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {heartbeatTimeout: 60s}",
                        "rollout.heartbeatTimeout must be a duration from 82.5s to 24h"),
                bad(
                        "heartbeatTimeout past any Go duration",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {heartbeatTimeout: 99999999999h}",
                        "rollout.heartbeatTimeout must be a duration from 82.5s to 24h"),
                bad(
                        "readyTimeout 0s",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {readyTimeout: 0s}",
                        "rollout.readyTimeout must be a duration from 5s to 24h"),
                bad(
                        "readyTimeout shorter than an identify window",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {readyTimeout: 2s}",
                        "rollout.readyTimeout must be a duration from 5s to 24h"),
                bad(
                        "readyTimeout not a duration",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {readyTimeout: soon}",
                        "rollout.readyTimeout must be a duration from 5s to 24h"),
                bad(
                        "respawnDelay 0s",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {respawnDelay: 0s}",
                        "rollout.respawnDelay must be a duration from 100ms to 1h"),
                bad(
                        "respawnDelay above 1h",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {respawnDelay: 2h}",
                        "rollout.respawnDelay must be a duration from 100ms to 1h"),
                bad(
                        "respawnDelay with a space",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {respawnDelay: 5 s}",
                        "rollout.respawnDelay must be a duration from 100ms to 1h"),
                bad(
                        "duration string longer than 32",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {readyTimeout: 1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s}",
                        "spec.rollout.readyTimeout: Too long: may not be more than 32 bytes"),
                bad(
                        "maxRestartsPerHour above 1000",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {maxRestartsPerHour: 1001}",
                        "spec.rollout.maxRestartsPerHour in body should be less than or equal to 1000"),
                bad(
                        "rollout paused not a boolean",
                        "guilds: 16000",
                        "guilds: 16000\n  rollout: {paused: sometimes}",
                        "spec.rollout.paused in body must be of type boolean"),
                bad(
                        "cache guildMax above what the bot accepts",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {guildMax: 10000001}",
                        "spec.bot.cache.guildMax in body should be less than or equal to 10000000"),
                bad(
                        "cache userMax zero",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {userMax: 0}",
                        "spec.bot.cache.userMax in body should be greater than or equal to 1"),
                bad(
                        "cache userTtl 0s",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {userTtl: 0s}",
                        "bot.cache.userTtl must be a duration from 1ms to 24h"),
                bad(
                        "cache guildTtl above 24h (the bot would refuse it and crash-loop)",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {guildTtl: 25h}",
                        "bot.cache.guildTtl must be a duration from 1ms to 24h"),
                bad(
                        "cache redisGuildTtl below 1s",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    cache: {redisGuildTtl: 500ms}",
                        "bot.cache.redisGuildTtl must be a duration from 1s to 24h"),
                bad(
                        "pgPool max above 100",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    pgPool: {max: 101}",
                        "spec.bot.pgPool.max in body should be less than or equal to 100"),
                bad(
                        "pgPool min negative",
                        "discordToken: {name: discord, key: token}",
                        "discordToken: {name: discord, key: token}\n    pgPool: {min: -1}",
                        "spec.bot.pgPool.min in body should be greater than or equal to 0"),
                bad(
                        "dashboard admin token without key",
                        "guilds: 16000",
                        "guilds: 16000\n  dashboard: {enabled: true, adminToken: {name: admin}}",
                        "spec.dashboard.adminToken.key: Required value"));
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

        Throwable refused = catchThrowable(() -> create(invalid));
        assertThat(refused)
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(expectedMessage)
                // readable: the rule in words, never a raw regex or the type name in place of the value
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("should match '")
                        .doesNotContain("Invalid value: \"object\""));
        BadInputTable.record(name, ((KubernetesClientException) refused).getStatus());
    }

    /** Manifests a user would write, from the smallest to a large bot: all accepted. */
    static Stream<Arguments> validClusters() {
        return Stream.of(
                Arguments.of("minimal", VALID),
                Arguments.of("full", """
                  apiVersion: chopsticks.dev/v1alpha1
                  kind: ChopsticksCluster
                  metadata: {name: %s, namespace: crd-validation}
                  spec:
                    guilds: 16000
                    sharding: {guildsPerShard: 2000, shardsPerPod: 2, maxConcurrency: 1}
                    bot:
                      image: registry.example.com:5000/chopsticks/bot-runtime:0.1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                      discordToken: {name: discord, key: token}
                      gatewayUrl: ws://discord-sim:8090
                      apiBaseUrl: http://discord-sim:8090/api/v10/
                      resources: {requests: {cpu: 250m, memory: 384Mi}, limits: {memory: 512Mi}}
                      pgPool: {max: 5, min: 2}
                      cache: {guildMax: 4000, guildTtl: 1m30s, userMax: 5000, userTtl: 30s, redisGuildTtl: 60s}
                      env:
                        - {name: LOG_LEVEL, value: debug}
                        - {name: WEATHER_API_KEY, secretKeyRef: {name: apis, key: weather}}
                    pgbouncer: {enabled: true, replicas: 2, poolMode: transaction, defaultPoolSize: 25, maxClientConn: 1000,
                      resources: {requests: {cpu: 100m}}}
                    redis: {mode: managed, maxMemory: 256mb, maxMemoryPolicy: allkeys-lru, appendOnly: true, storageSize: 1Gi}
                    postgres: {connectionSecret: chopsticks-db, maxConnections: 200}
                    rollout: {paused: false, respawnDelay: 5.5s, maxRestartsPerHour: 10, readyTimeout: 5m, heartbeatTimeout: 90s}
                    dashboard: {enabled: true, adminToken: {name: dashboard, key: token}}
                  """),
                Arguments.of("large bot", """
                  apiVersion: chopsticks.dev/v1alpha1
                  kind: ChopsticksCluster
                  metadata: {name: %s, namespace: crd-validation}
                  spec:
                    guilds: 1000000
                    sharding: {guildsPerShard: 1000, shardsPerPod: 16, maxConcurrency: 16, shardCountMultiple: 16}
                    bot:
                      image: ghcr.io/chopsticks/bot-runtime:1.2.3
                      discordToken: {name: discord, key: token}
                    redis:
                      mode: external
                      external: {clusterNodes: ["redis-0.redis:6379", "redis-1.redis:6379", "10.0.0.7:6380"]}
                    postgres: {connectionSecret: chopsticks-db, maxConnections: 500}
                    pgbouncer: {replicas: 4, defaultPoolSize: 100}
                    rollout: {heartbeatTimeout: 82.5s, readyTimeout: 5s, respawnDelay: 100ms}
                  """),
                Arguments.of(
                        "at the planned-shard limit",
                        VALID.replace("guilds: 16000", "guilds: 50000000\n  sharding: {guildsPerShard: 2500}")));
    }

    @ParameterizedTest(name = "accepts: {0}")
    @MethodSource("validClusters")
    void apiServerAcceptsValidCluster(String name, String yaml) {
        GenericKubernetesResource created = create(yaml.formatted("ok-" + Math.abs(name.hashCode())));
        assertThat(created.getMetadata().getUid()).isNotBlank();
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
                null,
                null,
                null,
                ShardStatus.RESUMED));
        client.resource(shard).updateStatus();

        List<String> lines = kubectl("get", "shards", "-n", NS);
        assertThat(lines.get(0).trim().split("\\s+"))
                .containsExactly(
                        "NAME", "CLUSTER", "SHARD", "PHASE", "GUILDS", "PING", "POD", "RESTARTS", "SESSION", "AGE");
        String row = lines.stream()
                .filter(l -> l.startsWith("chopsticks-3 "))
                .findFirst()
                .orElseThrow();
        assertThat(Arrays.asList(row.trim().split("\\s+")).subList(0, 9))
                .containsExactly(
                        "chopsticks-3",
                        "chopsticks",
                        "3/8",
                        "Ready",
                        "2011",
                        "41",
                        "chopsticks-shards-3",
                        "2",
                        "Resumed");

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
