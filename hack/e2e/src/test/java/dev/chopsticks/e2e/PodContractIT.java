package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.DashboardSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.common.Ports;
import dev.chopsticks.operator.dashboard.DashboardDeployment;
import dev.chopsticks.operator.migrations.MigrationJob;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.redis.RedisPasswordSecret;
import dev.chopsticks.operator.shards.ShardStatefulSet;
import dev.chopsticks.testinfra.OsProcess;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The contract between operator and bot, with nothing simulated on the bot's side: the operator's pure builders
 * render the migrations Job, the shard StatefulSet and the dashboard Deployment of a sample cluster, and each
 * container runs as the real bot jar with exactly its {@code args} and its environment as the kubelet would build it
 * (Secrets, downward API, {@code $(VAR)} expansion). Only what a pod has and a local process lacks is translated: the
 * in-cluster service names are mapped to real PostgreSQL, PgBouncer, Redis (with the managed Redis password) and
 * Discord simulator processes on loopback, and the pod's HTTP port to a free local one. Every rendered variable must
 * be one the bot reads; a value the bot refuses fails with the bot's own one-line reason.
 *
 * <p>Not covered here: the Kubernetes API side of a shard (Shard status, the active-generation ConfigMap), which needs
 * an API server and is exercised by RealBotRolloutE2E / RealBotReshardE2E; without {@code KUBERNETES_SERVICE_HOST}
 * the bot runs them off, as outside a cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodContractIT {
    private static final String NAMESPACE = "bots";
    private static final String CLUSTER = "chopsticks";
    private static final String SIM_HOST = "discord-sim." + NAMESPACE + ".svc:8090";
    private static final String PG_HOST = "chopsticks-db-rw.databases.svc";
    private static final String PG_PORT = "5432";
    private static final String ADMIN_TOKEN = "contract-admin-token-9f3b";
    private static final Duration START = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = E2eCluster.REPO
            .resolve("hack/e2e/target/pod-contract")
            .toAbsolutePath()
            .normalize();

    private static PostgresProcess postgres;
    private static PgBouncerProcess pgBouncer;
    private static RedisProcess redis;
    private static DiscordSimulator discord;
    private static ChopsticksCluster cluster;
    private static KubeletEnv kubelet;
    private static Map<String, String> endpoints;
    private static BotPod shard;
    private static BotPod dashboard;

    @BeforeAll
    static void startServices() {
        RealBots.botJar();
        postgres = PostgresProcess.start();
        pgBouncer = PgBouncerProcess.start(postgres, 10);
        String redisPassword = RedisPasswordSecret.generatePassword();
        redis = RedisProcess.startWithPassword(redisPassword);
        discord = DiscordSimulator.builder()
                .guilds(20)
                .token("contract-bot-token")
                .start();
        cluster = sampleCluster();

        // The Secrets a user creates (the operator only references them), plus the operator's own managed Redis one.
        SecretKeyRef admin = cluster.getSpec().dashboard().adminToken();
        kubelet = new KubeletEnv()
                .secret(secret("discord", Map.of("token", discord.token())))
                .secret(secret(
                        "chopsticks-db",
                        Map.of(
                                "host", PG_HOST,
                                "port", PG_PORT,
                                "dbname", PostgresProcess.DATABASE,
                                "user", PostgresProcess.USER,
                                "password", PostgresProcess.PASSWORD)))
                .secret(secret(admin.name(), Map.of(admin.key(), ADMIN_TOKEN)))
                .secret(RedisPasswordSecret.desired(cluster, redisPassword));

        // in-cluster host:port -> the real process on loopback
        endpoints = new LinkedHashMap<>();
        endpoints.put(Names.pgbouncer(cluster) + ":" + Ports.PGBOUNCER, "127.0.0.1:" + pgBouncer.port());
        endpoints.put(Names.redis(cluster) + ":" + Ports.REDIS, "127.0.0.1:" + redis.port());
        endpoints.put(PG_HOST + ":" + PG_PORT, "127.0.0.1:" + postgres.port());
        endpoints.put(SIM_HOST, "127.0.0.1:" + discord.port());
    }

    /** The defaults a user gets (PgBouncer, managed Redis), the dashboard on, Discord pointed at the simulator. */
    private static ChopsticksCluster sampleCluster() {
        return new ChopsticksCluster(
                NAMESPACE,
                CLUSTER,
                new ChopsticksClusterSpec(
                        (long) discord.world().guildCount(),
                        ShardingSpec.defaults(),
                        new BotSpec(
                                "chopsticks/bot-runtime:contract",
                                new SecretKeyRef("discord", "token"),
                                "ws://" + SIM_HOST,
                                "http://" + SIM_HOST + "/api/v10/",
                                null,
                                null,
                                null,
                                null),
                        PgBouncerSpec.defaults(),
                        RedisSpec.defaults(),
                        new PostgresSpec("chopsticks-db", null),
                        null,
                        new DashboardSpec(true, new SecretKeyRef("chopsticks-admin", "token"))));
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (BotPod pod : new BotPod[] {dashboard, shard}) {
            if (pod != null) {
                pod.close();
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {discord, redis, pgBouncer, postgres}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void migrationsJobMigratesPostgresDirectly() throws Exception {
        PodSpec pod = MigrationJob.desired(cluster).getSpec().getTemplate().getSpec();
        Container c = container(pod, MigrationJob.CONTAINER);
        Set<String> used = new LinkedHashSet<>();
        KubeletEnv.Resolved env = resolve(c, MigrationJob.name(cluster) + "-x7k2p", used);
        assertThat(used)
                .as("the migrations Job reaches PostgreSQL directly, never through PgBouncer")
                .containsExactly(PG_HOST + ":" + PG_PORT);

        try (BotPod migrate = BotPod.start("migrations", c, env.values(), -1, LOGS)) {
            int exit = migrate.awaitExit(Duration.ofMinutes(2));
            assertThat(exit).as(migrate::exitReport).isZero();
            migrate.assertBotKnowsEveryRenderedVariable(env.expandedNames());
        }
        try (Connection db = postgres.superuser(PostgresProcess.DATABASE);
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM flyway_schema_history WHERE success),"
                        + " to_regclass('public.guild_settings') IS NOT NULL,"
                        + " to_regclass('public.command_stats') IS NOT NULL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("successful migrations").isPositive();
            assertThat(rs.getBoolean(2)).as("guild_settings exists").isTrue();
            assertThat(rs.getBoolean(3)).as("command_stats exists").isTrue();
        }
    }

    @Test
    @Order(2)
    void shardPodBecomesReadyAgainstTheSimulator() throws Exception {
        ShardPlan plan =
                ShardPlan.compute(cluster.getSpec().guilds(), cluster.getSpec().sharding());
        PodSpec pod =
                ShardStatefulSet.desired(cluster, plan).getSpec().getTemplate().getSpec();
        Container c = container(pod, ShardStatefulSet.CONTAINER);
        Set<String> used = new LinkedHashSet<>();
        KubeletEnv.Resolved env = resolve(c, Names.shardPod(cluster, 0), used);
        assertThat(used)
                .as("shards use PgBouncer, the managed Redis and the configured Discord")
                .containsExactlyInAnyOrder(
                        Names.pgbouncer(cluster) + ":" + Ports.PGBOUNCER,
                        Names.redis(cluster) + ":" + Ports.REDIS,
                        SIM_HOST);
        // compared, never printed: an assertion message must not carry a Secret's value
        assertThat(ADMIN_TOKEN.equals(env.values().get("ADMIN_TOKEN")))
                .as("the shard pod gets ADMIN_TOKEN from dashboard.adminToken's Secret")
                .isTrue();
        assertThat(c.getEnv())
                .filteredOn(v -> v.getName().equals("ADMIN_TOKEN"))
                .singleElement()
                .satisfies(
                        v -> assertThat(v.getValue()).as("ADMIN_TOKEN literal").isNull());

        shard = startServing("shard", c, env);
        shard.awaitOk(c.getReadinessProbe().getHttpGet().getPath(), START);
        assertThat(shard.get(c.getLivenessProbe().getHttpGet().getPath()).statusCode())
                .isEqualTo(200);
        shard.assertBotKnowsEveryRenderedVariable(env.expandedNames());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(shard.get("/api/internal/status", "Authorization", "Bearer " + ADMIN_TOKEN)
                    .body());
            assertThat(status.at("/shards/0/status").asText())
                    .as("shard 0 in the shard pod's status: %s", status)
                    .isEqualTo("CONNECTED");
            assertThat(status.at("/shards/0/guilds").asLong())
                    .isEqualTo(discord.world().guildCount());
        });
        assertThat(shard.get("/api/internal/status").statusCode()).isEqualTo(401);

        // It answers: the shard registered the commands (it runs shard 0) and replies to one.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !discord.commands(null).isEmpty());
        long guild = discord.world().guilds().iterator().next().id();
        InteractionRef ref = discord.injectSlashCommand(SlashCommand.of("ping", guild));
        InteractionOutcome outcome = discord.awaitReply(ref.id(), Duration.ofSeconds(15));
        assertThat(outcome.complete()).as("the shard answered /ping").isTrue();
    }

    @Test
    @Order(3)
    void dashboardPodServesHealthAndTheGuardedStatus() throws Exception {
        PodSpec pod =
                DashboardDeployment.desired(cluster).getSpec().getTemplate().getSpec();
        Container c = container(pod, DashboardDeployment.CONTAINER);
        assertThat(c.getArgs()).containsExactly("dashboard");
        Set<String> used = new LinkedHashSet<>();
        KubeletEnv.Resolved env = resolve(c, Names.dashboard(cluster) + "-5d9c7b8f4-q2x7w", used);
        assertThat(used)
                .containsExactlyInAnyOrder(
                        Names.pgbouncer(cluster) + ":" + Ports.PGBOUNCER, Names.redis(cluster) + ":" + Ports.REDIS);

        dashboard = startServing("dashboard", c, env);
        dashboard.awaitOk(c.getReadinessProbe().getHttpGet().getPath(), START);
        assertThat(dashboard.get(c.getLivenessProbe().getHttpGet().getPath()).statusCode())
                .isEqualTo(200);
        assertThat(dashboard.get("/health").statusCode()).isEqualTo(200);
        dashboard.assertBotKnowsEveryRenderedVariable(env.expandedNames());

        HttpResponse<byte[]> none = dashboard.get("/api/internal/status");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(new String(none.body())).doesNotContain(ADMIN_TOKEN);
        assertThat(dashboard
                        .get("/api/internal/status", "Authorization", "Bearer not-" + ADMIN_TOKEN)
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<byte[]> ok = dashboard.get("/api/internal/status", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new String(ok.body())).doesNotContain(ADMIN_TOKEN);
        JsonNode status = JSON.readTree(ok.body());
        assertThat(status.at("/role").asText()).isEqualTo("dashboard");
        assertThat(status.at("/cluster").asText()).isEqualTo(CLUSTER);
        assertThat(status.at("/namespace").asText()).isEqualTo(NAMESPACE);

        // The overview is built from what the shard wrote: its /ping, flushed to command_stats within 10 s.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode doc = JSON.readTree(dashboard
                            .get("/api/internal/status", "X-Admin-Token", ADMIN_TOKEN)
                            .body());
                    assertThat(doc.at("/state").asText()).as("%s", doc).isEqualTo("ok");
                    assertThat(doc.at("/dependencies/database").asBoolean()).isTrue();
                    assertThat(doc.at("/dependencies/redis").asBoolean()).isTrue();
                    assertThat(doc.at("/overview/schemaVersion").asText()).isEqualTo("1");
                    assertThat(doc.at("/overview/commandUsesToday/ping").asLong())
                            .isPositive();
                });

        HttpResponse<byte[]> metrics = dashboard.get("/metrics", "Accept-Encoding", "gzip");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(metrics.body())).readAllBytes());
        assertThat(text).contains("app=\"chopsticks-dashboard\"", "chopsticks_dashboard_overview_failures_total");
    }

    /**
     * The container's env as the kubelet resolves it, with HOSTNAME as the kubelet sets it and in-cluster endpoints
     * mapped to loopback; {@code used} collects the endpoints the values name.
     */
    private static KubeletEnv.Resolved resolve(Container c, String podName, Set<String> used) {
        KubeletEnv.Resolved resolved = kubelet.resolve(c.getEnv(), new KubeletEnv.Pod(podName, NAMESPACE));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("HOSTNAME", podName);
        resolved.values().forEach((name, value) -> {
            String local = value;
            for (Map.Entry<String, String> e : endpoints.entrySet()) {
                if (local.contains(e.getKey())) {
                    used.add(e.getKey());
                    local = local.replace(e.getKey(), e.getValue());
                }
            }
            values.put(name, local);
        });
        return new KubeletEnv.Resolved(values, resolved.expandedNames());
    }

    /**
     * Starts a serving container with its HTTP port mapped: the port the probes use must be the one HTTP_PORT makes
     * the bot listen on; here that port becomes a free loopback port.
     */
    private static BotPod startServing(String kind, Container c, KubeletEnv.Resolved env) {
        ContainerPort http = c.getPorts().stream()
                .filter(p -> "http".equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + ": no container port named http"));
        assertThat(env.values().get("HTTP_PORT"))
                .as("%s: HTTP_PORT is the container port the probes use", kind)
                .isEqualTo(Integer.toString(http.getContainerPort()));
        for (Probe probe : new Probe[] {c.getReadinessProbe(), c.getLivenessProbe()}) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        int port = OsProcess.freePort();
        Map<String, String> values = new LinkedHashMap<>(env.values());
        values.put("HTTP_PORT", Integer.toString(port));
        return BotPod.start(kind, c, values, port, LOGS);
    }

    private static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream()
                .filter(c -> name.equals(c.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + pod.getContainers()));
    }

    private static Secret secret(String name, Map<String, String> data) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withStringData(data)
                .build();
    }
}
