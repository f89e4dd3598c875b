package dev.chopsticks.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule the API promises is present in the committed schema (what the API server enforces). */
class SchemaRulesTest {

    private static final JsonNode CLUSTER = schema(ChopsticksCluster.class);
    private static final JsonNode SHARD = schema(Shard.class);

    private static JsonNode schema(Class<? extends CustomResource<?, ?>> kind) {
        return GeneratedCrds.read(GeneratedCrds.committed(kind))
                .path("spec")
                .path("versions")
                .path(0)
                .path("schema")
                .path("openAPIV3Schema");
    }

    /** Walks "spec.sharding.guildsPerShard" through properties (and "[]" into array items). */
    private static JsonNode at(JsonNode schema, String path) {
        JsonNode node = schema;
        for (String part : path.split("\\.")) {
            if (part.equals("[]")) {
                node = node.path("items");
            } else {
                node = node.path("properties").path(part);
            }
        }
        assertThat(node.isMissingNode()).as("schema has %s", path).isFalse();
        return node;
    }

    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of("spec.guilds", "minimum", 1),
                Arguments.of("spec.guilds", "maximum", 50_000_000),
                Arguments.of("spec.sharding.shards", "maximum", 20_000),
                Arguments.of("spec.sharding.shardsPerPod", "maximum", 64),
                Arguments.of("spec.sharding.maxConcurrency", "maximum", 1024),
                Arguments.of("spec.sharding.shardCountMultiple", "maximum", 1024),
                Arguments.of("spec.bot.pgPool.max", "maximum", 100),
                Arguments.of("spec.bot.cache.guildMax", "maximum", 10_000_000),
                Arguments.of("spec.bot.cache.userMax", "maximum", 10_000_000),
                Arguments.of("spec.pgbouncer.replicas", "maximum", 20),
                Arguments.of("spec.pgbouncer.defaultPoolSize", "maximum", 262_143),
                Arguments.of("spec.pgbouncer.maxClientConn", "maximum", 100_000),
                Arguments.of("spec.postgres.maxConnections", "maximum", 262_143),
                Arguments.of("spec.rollout.maxRestartsPerHour", "maximum", 1000),
                Arguments.of("spec.sharding.guildsPerShard", "maximum", 2500),
                Arguments.of("spec.sharding.guildsPerShard", "minimum", 1),
                Arguments.of("spec.sharding.shards", "minimum", 1),
                Arguments.of("spec.sharding.shardsPerPod", "minimum", 1),
                Arguments.of("spec.sharding.maxConcurrency", "minimum", 1),
                Arguments.of("spec.sharding.shardCountMultiple", "minimum", 1),
                Arguments.of("spec.bot.pgPool.max", "minimum", 1),
                Arguments.of("spec.bot.pgPool.min", "minimum", 0),
                Arguments.of("spec.bot.cache.guildMax", "minimum", 1),
                Arguments.of("spec.bot.cache.userMax", "minimum", 1),
                Arguments.of("spec.pgbouncer.replicas", "minimum", 1),
                Arguments.of("spec.pgbouncer.defaultPoolSize", "minimum", 1),
                Arguments.of("spec.pgbouncer.maxClientConn", "minimum", 1),
                Arguments.of("spec.postgres.maxConnections", "minimum", 1),
                Arguments.of("spec.rollout.maxRestartsPerHour", "minimum", 0));
    }

    @ParameterizedTest(name = "{0} has {1} {2}")
    @MethodSource("bounds")
    void numericBounds(String path, String keyword, int value) {
        assertThat(at(CLUSTER, path).path(keyword).asDouble()).isEqualTo(value);
    }

    static Stream<Arguments> celRules() {
        return Stream.of(
                Arguments.of("spec", "self.sharding.shards * 2500 >= self.guilds", "too few for spec.guilds"),
                Arguments.of(
                        "spec",
                        "self.pgbouncer.replicas * self.pgbouncer.defaultPoolSize <= self.postgres.maxConnections",
                        "must not exceed postgres.maxConnections"),
                Arguments.of(
                        "spec.sharding",
                        "self.maxConcurrency in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]",
                        "a power of two"),
                Arguments.of("spec.bot.pgPool", "self.min <= self.max", "pgPool.min must not exceed pgPool.max"),
                Arguments.of("spec.redis", "self.mode != 'external'", "redis.mode external needs"),
                Arguments.of("spec.dashboard", "has(self.adminToken)", "dashboard.enabled needs dashboard.adminToken"),
                Arguments.of(
                        "spec.bot.env.[]",
                        "has(self.value) != has(self.secretKeyRef)",
                        "exactly one of value or secretKeyRef"));
    }

    @ParameterizedTest(name = "{0} has CEL rule {1}")
    @MethodSource("celRules")
    void celRulesArePresent(String path, String ruleFragment, String messageFragment) {
        JsonNode node = path.equals("spec") ? at(CLUSTER, "spec") : at(CLUSTER, path);
        List<String> rules = new ArrayList<>();
        node.path("x-kubernetes-validations")
                .forEach(v -> rules.add(
                        v.path("rule").asText() + " => " + v.path("message").asText()));
        assertThat(rules).anySatisfy(r -> assertThat(r).contains(ruleFragment).contains(messageFragment));
    }

    static Stream<Arguments> enums() {
        return Stream.of(
                Arguments.of("spec.pgbouncer.poolMode", List.of("session", "transaction")),
                Arguments.of("spec.redis.mode", List.of("external", "managed")),
                Arguments.of(
                        "spec.redis.maxMemoryPolicy",
                        List.of(
                                "allkeys-lfu",
                                "allkeys-lru",
                                "allkeys-random",
                                "noeviction",
                                "volatile-lfu",
                                "volatile-lru",
                                "volatile-random",
                                "volatile-ttl")));
    }

    @ParameterizedTest(name = "{0} is an enum")
    @MethodSource("enums")
    void enumsRejectUnknownValues(String path, List<String> values) {
        List<String> actual = new ArrayList<>();
        at(CLUSTER, path).path("enum").forEach(v -> actual.add(v.asText()));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(values);
    }

    static Stream<Arguments> required() {
        return Stream.of(
                Arguments.of("spec", List.of("guilds", "bot", "postgres")),
                Arguments.of("spec.bot", List.of("image", "discordToken")),
                Arguments.of("spec.bot.discordToken", List.of("name", "key")),
                Arguments.of("spec.postgres", List.of("connectionSecret")));
    }

    @ParameterizedTest(name = "{0} requires {1}")
    @MethodSource("required")
    void requiredFields(String path, List<String> fields) {
        List<String> actual = new ArrayList<>();
        at(CLUSTER, path).path("required").forEach(v -> actual.add(v.asText()));
        assertThat(actual).containsAll(fields);
    }

    @Test
    void imageMustNotBeEmpty() {
        assertThat(at(CLUSTER, "spec.bot.image").path("minLength").asInt()).isEqualTo(1);
    }

    @Test
    void shardSpecIsValidated() {
        assertThat(at(SHARD, "spec.shardId").path("minimum").asDouble()).isZero();
        assertThat(at(SHARD, "spec.shardCount").path("minimum").asDouble()).isEqualTo(1);
        assertThat(at(SHARD, "spec").path("x-kubernetes-validations").toString())
                .contains("self.shardId < self.shardCount");
        List<String> phases = new ArrayList<>();
        at(SHARD, "status.phase").path("enum").forEach(v -> phases.add(v.asText()));
        assertThat(phases)
                .containsExactlyInAnyOrder(
                        "Pending", "Starting", "Identifying", "Ready", "Standby", "Resuming", "Disconnected", "Failed");
    }

    @Test
    void everyPropertyIsDescribedForKubectlExplain() {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented("", CLUSTER, undocumented);
        collectUndocumented("", SHARD, undocumented);
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(String path, JsonNode node, List<String> out) {
        node.path("properties").properties().forEach(e -> {
            if (!e.getValue().has("description")) {
                out.add(path + "." + e.getKey());
            }
            collectUndocumented(path + "." + e.getKey(), e.getValue(), out);
        });
        if (node.has("items")) {
            collectUndocumented(path + "[]", node.path("items"), out);
        }
    }

    static Stream<Arguments> columns() {
        return Stream.of(
                Arguments.of(CLUSTER_COLUMNS(), List.of("GUILDS", "SHARDS", "READY", "PHASE", "AGE")),
                Arguments.of(
                        SHARD_COLUMNS(),
                        List.of("CLUSTER", "SHARD", "PHASE", "GUILDS", "PING", "POD", "RESTARTS", "SESSION", "AGE")));
    }

    private static List<String> CLUSTER_COLUMNS() {
        return columnNames(ChopsticksCluster.class);
    }

    private static List<String> SHARD_COLUMNS() {
        return columnNames(Shard.class);
    }

    private static List<String> columnNames(Class<? extends CustomResource<?, ?>> kind) {
        List<String> names = new ArrayList<>();
        GeneratedCrds.read(GeneratedCrds.committed(kind))
                .path("spec")
                .path("versions")
                .path(0)
                .path("additionalPrinterColumns")
                .forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    @ParameterizedTest
    @MethodSource("columns")
    void printerColumnsInPromisedOrder(List<String> actual, List<String> expected) {
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void namesShortNamesAndCategories() {
        JsonNode cluster = GeneratedCrds.read(GeneratedCrds.committed(ChopsticksCluster.class))
                .path("spec");
        JsonNode shard =
                GeneratedCrds.read(GeneratedCrds.committed(Shard.class)).path("spec");
        assertThat(cluster.path("names").path("shortNames").toString()).contains("ccl");
        assertThat(cluster.path("names").path("categories").toString()).contains("chopsticks");
        assertThat(shard.path("names").path("shortNames").toString()).contains("shard");
        assertThat(shard.path("names").path("categories").toString()).contains("chopsticks");
        assertThat(cluster.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(cluster.path("versions").path(0).path("subresources").has("status"))
                .isTrue();
        assertThat(shard.path("versions").path(0).path("subresources").has("status"))
                .isTrue();
    }
}
