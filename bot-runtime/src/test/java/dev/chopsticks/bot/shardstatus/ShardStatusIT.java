package dev.chopsticks.bot.shardstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardSpec;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.bot.discord.ActiveOnlyListener;
import dev.chopsticks.bot.identify.GatewayPod;
import dev.chopsticks.bot.lifecycle.ActiveGeneration;
import dev.chopsticks.bot.testinfra.KubeApiTestBinaries;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tier 2: the bot's Shard status writes on a real kube-apiserver with the committed CRDs. Two shards against the
 * simulator; every PATCH the bot sends is recorded by an HTTP interceptor on its client.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class ShardStatusIT {
    private static final String NS = "bots";
    private static final String CLUSTER = "test";
    private static final int SHARDS = 2;
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final String OPERATOR = "chopsticks-operator-shard-status";

    static KubernetesClient client;

    @KubeConfig
    static String kubeConfigYaml;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(10)
            .maxConcurrency(SHARDS)
            .identifyWindow(Duration.ofSeconds(1))
            .build());

    /** One PATCH seen on the wire. */
    record Patch(String shard, long atNanos, JsonNode status) {
        String phase() {
            return status.path("phase").asText(null);
        }
    }

    private static final List<Patch> patches = Collections.synchronizedList(new ArrayList<>());
    /** The bot's own client (static fields of type KubernetesClient are reserved for kube-api-test's injection). */
    private static AutoCloseable botClientHolder;

    private static Supplier<KubernetesClient> botClient;

    @BeforeAll
    static void installCrdsAndShards() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("crds.dir", "../crds")))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd =
                            client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                    client.resource(crd).serverSideApply();
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        var got = client.apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .withName(crd.getMetadata().getName())
                                .get();
                        return got.getStatus() != null
                                && got.getStatus().getConditions() != null
                                && got.getStatus().getConditions().stream()
                                        .anyMatch(c -> c.getType().equals("Established")
                                                && c.getStatus().equals("True"));
                    });
                }
            }
        }
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .serverSideApply();
        for (int id = 0; id < SHARDS; id++) {
            // What the operator does: create the Shard, then write its pod side of the status with its own manager.
            String name = CLUSTER + "-" + id;
            client.resource(new Shard(NS, name, new ShardSpec(CLUSTER, id, SHARDS)))
                    .create();
            Shard podSide = new Shard(NS, name, null);
            podSide.setStatus(new ShardStatus(
                    id + "/" + SHARDS, null, null, null, CLUSTER + "-shards-0", 3, null, null, null, null));
            client.resource(podSide)
                    .subresource("status")
                    .patch(new PatchContext.Builder()
                            .withPatchType(PatchType.SERVER_SIDE_APPLY)
                            .withFieldManager(OPERATOR)
                            .withForce(true)
                            .build());
        }
        ObjectMapper json = new ObjectMapper();
        Interceptor recorder = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String path = request.uri().getPath();
                if (request.method().equals("PATCH") && path.endsWith("/status")) {
                    String[] parts = path.split("/");
                    try {
                        patches.add(new Patch(
                                parts[parts.length - 2],
                                System.nanoTime(),
                                json.readTree(request.bodyString()).path("status")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        Config botConfig = Config.fromKubeconfig(kubeConfigYaml);
        botConfig.setRequestRetryBackoffLimit(0); // as the production writer
        KubernetesClient bot = new KubernetesClientBuilder()
                .withConfig(botConfig)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record-patches", recorder))
                .build();
        botClientHolder = bot;
        botClient = () -> bot;
    }

    @AfterAll
    static void closeClient() throws Exception {
        if (botClientHolder != null) {
            botClientHolder.close();
        }
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private static ShardStatus status(int id) {
        return client.resources(Shard.class)
                .inNamespace(NS)
                .withName(CLUSTER + "-" + id)
                .get()
                .getStatus();
    }

    private static List<Patch> patchesOf(int id) {
        synchronized (patches) {
            return patches.stream()
                    .filter(p -> p.shard().equals(CLUSTER + "-" + id))
                    .toList();
        }
    }

    @Test
    void shardsReportStartingIdentifyingReadyWithGuildsAndRateLimitedUpdates() {
        ShardStatusReporter reporter = new ShardStatusReporter(
                        List.of(0, 1),
                        new KubernetesShardStatusWriter(NS, CLUSTER + "-", botClient.get()),
                        INTERVAL,
                        Clock.systemUTC())
                .start();
        try (GatewayPod pod = GatewayPod.start(
                sim(),
                SHARDS,
                List.of(0, 1),
                GatewayPod.identify(SHARDS, Duration.ofSeconds(1), 50, 20),
                null,
                reporter)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pod.allConnected()
                            && status(0).phase() == ShardPhase.Ready
                            && status(1).phase() == ShardPhase.Ready);
            long ready = System.nanoTime();

            for (int id = 0; id < SHARDS; id++) {
                List<String> phases = patchesOf(id).stream().map(Patch::phase).toList();
                System.out.printf("shard %d PATCHed phases: %s%n", id, phases);
                assertThat(phases).containsExactly("Starting", "Identifying", "Ready");
                ShardStatus s = status(id);
                assertThat(s.guilds())
                        .as("guilds of shard %d", id)
                        .isEqualTo(sim().guildIdsForShard(id, SHARDS).size());
                // Discord's session-start budget as the bot knows it (the operator's identify budget reads it); the
                // other shard's identify may land in the next periodic update.
                int shard = id;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(status(shard).identifyTotal())
                            .isEqualTo(sim().stats().sessionStartLimit().total());
                    assertThat(status(shard).identifyRemaining())
                            .isEqualTo(sim().stats().sessionStartLimit().remaining());
                });
                // The operator's fields are untouched, and the bot's fields belong to the bot's field manager.
                assertThat(s.shard()).isEqualTo(id + "/" + SHARDS);
                assertThat(s.pod()).isEqualTo(CLUSTER + "-shards-0");
                assertThat(s.restarts()).isEqualTo(3);
                assertThat(managers(id)).contains(KubernetesShardStatusWriter.FIELD_MANAGER, OPERATOR);
                // The bot never sends the operator's fields.
                assertThat(patchesOf(id))
                        .allSatisfy(p -> assertThat(p.status().has("pod")
                                        || p.status().has("restarts")
                                        || p.status().has("shard"))
                                .isFalse());
            }

            // Guilds keep changing (one join every 250 ms for 6 s): writes are coalesced to one per shard per interval.
            int joins = 24;
            var joiner = Executors.newSingleThreadScheduledExecutor();
            CountDownLatch joined = new CountDownLatch(joins);
            joiner.scheduleAtFixedRate(
                    () -> {
                        if (joined.getCount() > 0) {
                            sim().addGuild("joined-" + joined.getCount());
                            joined.countDown();
                        }
                    },
                    0,
                    250,
                    TimeUnit.MILLISECONDS);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> joined.getCount() == 0);
            } finally {
                joiner.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> status(0).guilds()
                                    == sim().guildIdsForShard(0, SHARDS).size()
                            && status(1).guilds()
                                    == sim().guildIdsForShard(1, SHARDS).size());
            Duration observed = Duration.ofNanos(System.nanoTime() - ready);
            long allowedPerShard = observed.toMillis() / INTERVAL.toMillis() + 1;
            long afterReadyTotal = 0;
            for (int id = 0; id < SHARDS; id++) {
                long afterReady =
                        patchesOf(id).stream().filter(p -> p.atNanos() > ready).count();
                afterReadyTotal += afterReady;
                System.out.printf(
                        "shard %d: %d PATCHes in the %d ms after Ready while %d guilds joined (limit %d: one per %d s)%n",
                        id, afterReady, observed.toMillis(), joins, allowedPerShard, INTERVAL.toSeconds());
                assertThat(afterReady).isLessThanOrEqualTo(allowedPerShard);
            }
            assertThat(afterReadyTotal).as("guild changes coalesced").isLessThan(joins);

            // SIGTERM: every shard reports Disconnected at once, with the reason.
            reporter.shuttingDown("shutting down (SIGTERM)", Duration.ofSeconds(5));
            for (int id = 0; id < SHARDS; id++) {
                assertThat(status(id).phase()).isEqualTo(ShardPhase.Disconnected);
                assertThat(status(id).message()).isEqualTo("shutting down (SIGTERM)");
            }
        } finally {
            reporter.close();
        }
    }

    @Test
    void onlyTheActiveGenerationHandlesEvents() {
        String name = CLUSTER + "-generation";
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of(ActiveGeneration.KEY, "1"))
                        .build())
                .serverSideApply();
        try (ActiveGeneration gen1 = ActiveGeneration.watch(botClient, NS, CLUSTER, 1);
                ActiveGeneration gen2 = ActiveGeneration.watch(botClient, NS, CLUSTER, 2)) {
            AtomicInteger handled = new AtomicInteger();
            var standby = new ActiveOnlyListener(gen2, event -> handled.incrementAndGet());
            await().atMost(Duration.ofSeconds(10)).until(() -> gen1.getAsBoolean() && !gen2.getAsBoolean());
            standby.onEvent(null);
            assertThat(handled).hasValue(0);
            // The operator switches to generation 2 once all its shards are Ready.
            client.configMaps().inNamespace(NS).withName(name).edit(cm -> {
                cm.getData().put(ActiveGeneration.KEY, "2");
                return cm;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> gen2.getAsBoolean() && !gen1.getAsBoolean());
            standby.onEvent(null);
            assertThat(handled).hasValue(1);
            // No ConfigMap: a single generation, which handles events.
            client.configMaps().inNamespace(NS).withName(name).delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> gen1.getAsBoolean() && gen2.getAsBoolean());
        }
    }

    private static List<String> managers(int id) {
        return client
                .resources(Shard.class)
                .inNamespace(NS)
                .withName(CLUSTER + "-" + id)
                .get()
                .getMetadata()
                .getManagedFields()
                .stream()
                .filter(m -> "status".equals(m.getSubresource()))
                .map(ManagedFieldsEntry::getManager)
                .toList();
    }
}
