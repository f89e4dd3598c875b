package dev.chopsticks.bot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.bot.BotApplication;
import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.gateway.Gateway;
import dev.chopsticks.bot.lifecycle.ActiveGeneration;
import dev.chopsticks.bot.testinfra.KubeApiTestBinaries;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.SimGuild;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Make-before-break as the bots see it (issue 18): generation 1 serves two shards through the gateway relay; the
 * successor, generation 2 with the same layout, starts beside it, gets warm and waits in Standby without touching
 * Discord; then the {@code <cluster>-generation} ConfigMap (a real kube-apiserver) switches to generation 2 with
 * {@code sessions-from: 1}. Generation 1 releases its sessions and generation 2 RESUMEs them: no IDENTIFY, and every
 * interaction sent before, across and after the switch is answered exactly once within Discord's 3 s. Redis and
 * PgBouncer/PostgreSQL are real; both generations are whole bot applications in this JVM.
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class SessionTakeoverIT {
    private static final String NS = "takeover";
    private static final String CLUSTER = "takeover";
    private static final int SHARDS = 2;
    private static final Duration REPLY = Duration.ofSeconds(10);

    static KubernetesClient client;

    @KubeConfig
    static String kubeConfigYaml;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(20)
            .maxConcurrency(SHARDS)
            .identifyWindow(Duration.ofSeconds(1))
            .build());

    private static Path kubeConfigFile;
    private static BotApplication gen1;
    private static BotApplication gen2;

    @BeforeAll
    static void generationOneServes() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .serverSideApply();
        configMap(Map.of(ActiveGeneration.KEY, "1"));
        kubeConfigFile = Files.createTempFile("session-takeover-", ".kubeconfig");
        Files.writeString(kubeConfigFile, kubeConfigYaml);
        System.setProperty("kubeconfig", kubeConfigFile.toString());
        gen1 = start(1);
        await().atMost(Duration.ofMinutes(1)).until(() -> Gateway.allConnected(gen1.shards()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (BotApplication app : new BotApplication[] {gen1, gen2}) {
            if (app != null) {
                app.close();
            }
        }
        System.clearProperty("kubeconfig");
        if (kubeConfigFile != null) {
            Files.deleteIfExists(kubeConfigFile);
        }
    }

    private static BotApplication start(int generation) {
        Map<String, String> env = GenerationPodEnv.of(SIM.simulator(), CLUSTER, NS, generation, SHARDS);
        env.put("GATEWAY_RELAY", "true");
        return BotApplication.start(BotConfig.fromEnv(new EnvReader(env)), BotApplication.Tuning.defaults());
    }

    private static void configMap(Map<String, String> data) {
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(CLUSTER + "-generation")
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(data)
                        .build())
                .serverSideApply();
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    /** /ping into every guild in turn, {@code spacing} apart (user pacing, not synchronisation). */
    private static List<Long> inject(int count, Duration spacing, Runnable atHalfway) throws InterruptedException {
        List<SimGuild> guilds = List.copyOf(sim().world().guilds());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i == count / 2) {
                atHalfway.run();
            }
            ids.add(sim().injectSlashCommand(SlashCommand.of(
                            "ping", guilds.get(i % guilds.size()).id()))
                    .id());
            Thread.sleep(spacing.toMillis());
        }
        return ids;
    }

    @Test
    void theWarmSuccessorResumesBothSessionsAtTheSwitchAndAnswersEveryInteractionOnce() throws Exception {
        sim().resetStats();
        gen2 = start(2);
        for (int shard = 0; shard < SHARDS; shard++) {
            int id = shard;
            await().atMost(Duration.ofMinutes(1)).until(() -> gen2.shardStatus().phase(id) == ShardPhase.Standby);
        }
        assertThat(sim().stats().identifies())
                .as("the standby successor identifies nothing")
                .isZero();
        assertThat(sim().stats().resumes())
                .as("... and resumes nothing before the switch")
                .isZero();
        assertThat(Gateway.allConnected(gen1.shards())).isTrue();

        List<Long> ids = inject(
                60,
                Duration.ofMillis(50),
                () -> configMap(Map.of(ActiveGeneration.KEY, "2", ActiveGeneration.SESSIONS_FROM, "1")));
        for (long id : ids) {
            InteractionOutcome outcome = sim().awaitReply(id, REPLY);
            assertThat(outcome.complete()).as("interaction %d answered", id).isTrue();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Gateway.allConnected(gen2.shards()));

        SimStats stats = sim().stats();
        System.out.printf(
                "SessionTakeoverIT: identifies %d, resumes %d, failed resumes %d, replayed %d, longest wait %d ms, "
                        + "late acks %d, duplicate acks %d%n",
                stats.identifies(),
                stats.resumes(),
                stats.failedResumes(),
                stats.dispatchesReplayed(),
                stats.maxDispatchDeliveryWaitMs(),
                stats.lateAcknowledgements(),
                stats.duplicateAcknowledgements());
        assertThat(stats.identifies()).as("no IDENTIFY across the hand-off").isZero();
        assertThat(stats.resumes()).isEqualTo(SHARDS);
        assertThat(stats.failedResumes()).isZero();
        assertThat(stats.lateAcknowledgements())
                .as("acknowledged after 3 s (10062)")
                .isZero();
        assertThat(stats.duplicateAcknowledgements())
                .as("answered twice (40060)")
                .isZero();
        for (int shard = 0; shard < SHARDS; shard++) {
            assertThat(gen2.shardStatus().phase(shard)).isEqualTo(ShardPhase.Ready);
        }
    }
}
