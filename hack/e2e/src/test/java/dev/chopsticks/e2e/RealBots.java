package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.BotSpec;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.api.v1alpha1.ExternalRedisSpec;
import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.api.v1alpha1.PostgresSpec;
import dev.chopsticks.api.v1alpha1.RedisMode;
import dev.chopsticks.api.v1alpha1.RedisSpec;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.SecretKeyRef;
import dev.chopsticks.api.v1alpha1.ShardingSpec;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.podrunner.PodRunner;
import dev.chopsticks.podrunner.PodRunnerConfig;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real bots on the simulated cluster: every shard pod the StatefulSet controller creates on a kwok node runs as a
 * local bot-runtime process (pod-runner, the kubelet stand-in) with the pod's environment, against the in-JVM Discord
 * simulator and real PostgreSQL, PgBouncer (transaction mode) and Redis processes. The bots identify through their
 * Redis identify queue, report their Shard status to the API server and follow the active-generation ConfigMap, as
 * in a cluster. Any tag of {@value #IMAGE} runs the bot jar; {@value #BROKEN_IMAGE} exits at start, as a bad image
 * does (for a rollout that must halt).
 */
final class RealBots implements AutoCloseable {
    static final String IMAGE = "chopsticks/bot-runtime";
    static final String BROKEN_IMAGE = "chopsticks/bot-runtime:broken";
    static final String CLUSTER = "chopsticks";

    final String namespace;
    final PostgresProcess postgres;
    final PgBouncerProcess pgBouncer;
    final RedisProcess redis;
    final DiscordSimulator discord;
    final PodRunner runner;
    final SimulatedPods migrations;
    final ShardTimeline timeline;

    private RealBots(
            String namespace,
            PostgresProcess postgres,
            PgBouncerProcess pgBouncer,
            RedisProcess redis,
            DiscordSimulator discord,
            PodRunner runner,
            SimulatedPods migrations,
            ShardTimeline timeline) {
        this.namespace = namespace;
        this.postgres = postgres;
        this.pgBouncer = pgBouncer;
        this.redis = redis;
        this.discord = discord;
        this.runner = runner;
        this.migrations = migrations;
        this.timeline = timeline;
    }

    static Path botJar() {
        Path jar = E2eCluster.REPO
                .resolve("bot-runtime/target/bot-runtime.jar")
                .toAbsolutePath()
                .normalize();
        assertThat(jar)
                .as("bot jar (build it: mvn -pl bot-runtime -am package)")
                .exists();
        return jar;
    }

    /**
     * Starts the data services and the simulator, migrates the database (as the operator's migration Job would; its
     * pod is then completed by {@link SimulatedPods#migrations}, which says so), creates the namespace and its
     * Secrets, and starts running shard pods.
     */
    static RealBots start(KubernetesClient client, String namespace, SimConfig.Builder sim) throws Exception {
        return start(client, namespace, sim, Duration.ZERO, 0);
    }

    /**
     * As {@link #start(KubernetesClient, String, SimConfig.Builder)}, with bot processes started at least
     * {@code startSpacing} apart and at niceness {@code startNice} until Ready (pod-runner), for scenarios that create
     * many pods at once next to serving ones: one machine stands in for many nodes. Niced starts are slower whenever the
     * control plane is busy, so rollouts timed against Discord's window run without.
     */
    static RealBots start(
            KubernetesClient client, String namespace, SimConfig.Builder sim, Duration startSpacing, int startNice)
            throws Exception {
        PostgresProcess postgres = PostgresProcess.start();
        PgBouncerProcess pgBouncer = PgBouncerProcess.start(postgres, 20);
        RedisProcess redis = RedisProcess.start();
        migrate(postgres);
        DiscordSimulator discord = sim.token("e2e-real-token").start();

        // a namespace left Terminating by an earlier run would swallow everything created in it
        await().atMost(Duration.ofMinutes(2))
                .until(() -> client.namespaces().withName(namespace).get() == null
                        || client.namespaces()
                                        .withName(namespace)
                                        .get()
                                        .getMetadata()
                                        .getDeletionTimestamp()
                                == null);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .serverSideApply();
        secret(client, namespace, "discord", Map.of("token", discord.token()));
        // the bots reach PostgreSQL through our PgBouncer process: the production path, without the operator's
        // PgBouncer
        secret(
                client,
                namespace,
                "chopsticks-db",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        Integer.toString(pgBouncer.port()),
                        "dbname",
                        PostgresProcess.DATABASE,
                        "user",
                        PostgresProcess.USER,
                        "password",
                        PostgresProcess.PASSWORD));
        secret(client, namespace, "redis", Map.of("url", redis.url()));

        String kubeconfig = System.getenv("KUBECONFIG");
        BotStartupCache.ensure(
                discord,
                Map.ofEntries(
                        Map.entry("DISCORD_TOKEN", discord.token()),
                        Map.entry("DISCORD_GATEWAY_URL", discord.gatewayUrl()),
                        Map.entry("DISCORD_API_BASE_URL", discord.restBaseUrl()),
                        Map.entry("REGISTER_COMMANDS", "false"),
                        Map.entry("POSTGRES_URL", pgBouncer.postgresUrl()),
                        Map.entry("REDIS_URL", redis.url()),
                        Map.entry(
                                "SHARD_COUNT",
                                Integer.toString(Math.max(1, discord.world().guildCount() / 2000))),
                        Map.entry("SHARDS_PER_POD", "1"),
                        Map.entry("POD_NAME", "startup-cache-training-0"),
                        Map.entry("POD_NAMESPACE", namespace),
                        Map.entry("CHOPSTICKS_CLUSTER", "startup-cache-training"),
                        Map.entry("SHARD_STATUS_REPORTING", "true"),
                        Map.entry("KUBECONFIG", kubeconfig)));

        Path target =
                E2eCluster.REPO.resolve("hack/e2e/target").toAbsolutePath().normalize();
        List<String> bot = new ArrayList<>();
        bot.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        bot.addAll(BotStartupCache.baseOptions());
        bot.addAll(BotStartupCache.jvmOptions());
        bot.addAll(List.of("-jar", botJar().toString()));
        PodRunner runner = PodRunner.start(
                client,
                PodRunnerConfig.builder()
                        .namespace(namespace)
                        .imageCommand(BROKEN_IMAGE + "=sh -c 'echo broken image: exits at start >&2; exit 1'")
                        .imageCommand(IMAGE + "*", bot)
                        .env("SHARD_STATUS_REPORTING", "true")
                        // as on a cluster: each bot authenticates with its pod's ServiceAccount token, under the
                        // operator's bot Role
                        .serviceAccountTokens(true)
                        .logDir(target.resolve("pod-runner"))
                        .readinessBridge(true)
                        .holdTermination(true)
                        .startNice(startNice)
                        .startSpacing(startSpacing)
                        .build());
        // The Job's environment points at our PgBouncer (the Secret above), where migrate must not run: it ran
        // against PostgreSQL before, so its pods only report that.
        SimulatedPods migrations = SimulatedPods.migrations(
                client, namespace, "RealBots ran the bot's migrate against the test's PostgreSQL at setup");
        ShardTimeline timeline = new ShardTimeline(client, namespace);
        return new RealBots(namespace, postgres, pgBouncer, redis, discord, runner, migrations, timeline);
    }

    private static void migrate(PostgresProcess postgres) throws IOException, InterruptedException {
        Path log = E2eCluster.REPO.resolve("hack/e2e/target/migrate.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        botJar().toString(),
                        "migrate")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("POSTGRES_URL", postgres.postgresUrl());
        Process p = builder.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("migrate finished").isTrue();
        assertThat(p.exitValue()).as("migrate exit code, see %s", log).isZero();
    }

    private static void secret(KubernetesClient client, String namespace, String name, Map<String, String> data) {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withStringData(data)
                        .build())
                .serverSideApply();
    }

    /**
     * A ChopsticksCluster whose bots talk to this harness: the simulator's URLs, PostgreSQL through the Secret (no
     * operator PgBouncer: its Service name does not resolve here), Redis by URL Secret.
     */
    ChopsticksCluster cluster(long guilds, Integer shards, int maxConcurrency, String image, RolloutSpec rollout) {
        return cluster(guilds, shards, null, maxConcurrency, image, rollout);
    }

    ChopsticksCluster cluster(
            long guilds, Integer shards, Integer shardsPerPod, int maxConcurrency, String image, RolloutSpec rollout) {
        return new ChopsticksCluster(
                namespace,
                CLUSTER,
                new ChopsticksClusterSpec(
                        guilds,
                        new ShardingSpec(null, shards, shardsPerPod, maxConcurrency, null),
                        new BotSpec(
                                image,
                                new SecretKeyRef("discord", "token"),
                                discord.gatewayUrl(),
                                discord.restBaseUrl(),
                                null,
                                null,
                                null,
                                null),
                        new PgBouncerSpec(false, null, null, null, null, null, null),
                        new RedisSpec(
                                RedisMode.EXTERNAL,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new ExternalRedisSpec(new SecretKeyRef("redis", "url"), null)),
                        new PostgresSpec("chopsticks-db", null),
                        rollout,
                        null));
    }

    /**
     * End of a real-bot scenario, in the order that leaves nothing behind: operators stop (no more deletions), the
     * Events are written for a failed run, the cluster goes, then the bots and services, then the namespace.
     */
    static void tearDown(
            KubernetesClient client,
            RealBots bots,
            String namespace,
            List<? extends AutoCloseable> operators,
            String eventsFile)
            throws Exception {
        for (AutoCloseable operator : operators) {
            operator.close();
        }
        if (client != null) {
            E2eCluster.writeEvents(client, namespace, eventsFile);
            client.resources(ChopsticksCluster.class)
                    .inNamespace(namespace)
                    .withName(CLUSTER)
                    .delete();
        }
        if (bots != null) {
            bots.close();
        }
        if (client != null) {
            client.namespaces().withName(namespace).delete();
            client.close();
        }
    }

    /** IDENTIFYs that broke the simulator's rule (one per bucket per window) since its stats were last reset. */
    int identifyViolations() {
        return discord.stats().identify().violations().size();
    }

    @Override
    public void close() {
        timeline.close();
        migrations.close();
        runner.close();
        discord.close();
        redis.close();
        pgBouncer.close();
        postgres.close();
    }
}
