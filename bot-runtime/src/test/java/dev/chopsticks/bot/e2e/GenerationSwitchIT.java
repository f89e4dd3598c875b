package dev.chopsticks.bot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resharding end to end, as far as the bot sees it: two whole bot processes of two generations (1 shard and 2 shards)
 * against the Discord simulator, which delivers every interaction to one shard of each; a real kube-apiserver holds
 * the {@code <cluster>-generation} ConfigMap they watch, Redis holds the claims. Every interaction must be answered
 * exactly once and in time: while generation 1 is active, across the switch to generation 2, and after generation 2's
 * process is gone while it is still the active one (the standby answers what it missed).
 */
@ExtendWith(KubeApiTestBinaries.class)
@EnableKubeAPIServer
class GenerationSwitchIT {
    private static final String NS = "bots";
    private static final String CLUSTER = "switch";
    private static final String CONFIG_MAP = CLUSTER + "-generation";
    private static final Duration REPLY = Duration.ofSeconds(15);

    static KubernetesClient client;

    @KubeConfig
    static String kubeConfigYaml;

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(6)
            .membersPerGuild(2)
            .maxConcurrency(2)
            .identifyWindow(Duration.ofSeconds(1))
            .build());

    private static Path kubeConfigFile;
    private static BotApplication gen1;
    private static BotApplication gen2;

    @BeforeAll
    static void startBothGenerations() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .serverSideApply();
        setActiveGeneration("1");
        // The bots build their own client from the default configuration, as in a pod; point it at this API server.
        kubeConfigFile = Files.createTempFile("generation-switch-", ".kubeconfig");
        Files.writeString(kubeConfigFile, kubeConfigYaml);
        System.setProperty("kubeconfig", kubeConfigFile.toString());
        CompletableFuture<BotApplication> first = CompletableFuture.supplyAsync(() -> start(1, 1));
        CompletableFuture<BotApplication> second = CompletableFuture.supplyAsync(() -> start(2, 2));
        gen1 = first.join();
        gen2 = second.join();
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Gateway.allConnected(gen1.shards())
                        && Gateway.allConnected(gen2.shards())
                        && gen2.shards().getShards().size() == 2);
    }

    private static BotApplication start(int generation, int shards) {
        Map<String, String> env = GenerationPodEnv.of(SIM.simulator(), CLUSTER, NS, generation, shards);
        return BotApplication.start(BotConfig.fromEnv(new EnvReader(env)), BotApplication.Tuning.defaults());
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

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private static void setActiveGeneration(String generation) {
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(CONFIG_MAP)
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of(ActiveGeneration.KEY, generation))
                        .build())
                .serverSideApply();
    }

    private static double claims(BotApplication app, String outcome, String role) {
        return app.meters()
                .get("chopsticks.interaction.claims")
                .tag("outcome", outcome)
                .tag("role", role)
                .counter()
                .count();
    }

    /** Injects /ping into every guild in turn, {@code spacing} apart; returns the interaction ids. */
    private static List<Long> inject(int count, Duration spacing, Runnable atHalfway) throws InterruptedException {
        List<SimGuild> guilds = sim().world().guilds().stream()
                .sorted((a, b) -> Long.compare(a.id(), b.id()))
                .toList();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i == count / 2) {
                atHalfway.run();
            }
            ids.add(sim().injectSlashCommand(SlashCommand.of(
                            "ping", guilds.get(i % guilds.size()).id()))
                    .id());
            Thread.sleep(spacing.toMillis()); // pacing the traffic like users, not synchronisation
        }
        return ids;
    }

    private static void assertAnsweredOnceInTime(List<Long> ids, SimStats before) {
        for (long id : ids) {
            InteractionOutcome outcome = sim().awaitReply(id, REPLY);
            assertThat(outcome.complete()).as("interaction %d answered", id).isTrue();
        }
        SimStats after = sim().stats();
        assertThat(after.duplicateAcknowledgements() - before.duplicateAcknowledgements())
                .as("answered twice (40060)")
                .isZero();
        assertThat(after.lateAcknowledgements() - before.lateAcknowledgements())
                .as("acknowledged after 3 s (10062)")
                .isZero();
    }

    @Test
    void everyInteractionIsAnsweredOnceWhileActiveAcrossTheSwitchAndWhenTheActiveProcessIsGone() throws Exception {
        // Generation 1 active: it answers, generation 2 backs up and finds each interaction taken.
        SimStats before = sim().stats();
        List<Long> phase1 = inject(20, Duration.ofMillis(20), () -> {});
        assertAnsweredOnceInTime(phase1, before);
        await().atMost(Duration.ofSeconds(10)).until(() -> claims(gen2, "taken", "standby") >= phase1.size());
        assertThat(claims(gen1, "claimed", "active")).isEqualTo(phase1.size());

        // The operator switches to generation 2 while users keep invoking commands.
        before = sim().stats();
        List<Long> phase2 = inject(40, Duration.ofMillis(25), () -> setActiveGeneration("2"));
        assertAnsweredOnceInTime(phase2, before);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Long> probe = inject(1, Duration.ZERO, () -> {});
            sim().awaitReply(probe.getFirst(), REPLY);
            return claims(gen2, "claimed", "active") > 0 && claims(gen1, "taken", "standby") > 0;
        });

        // Generation 2's process is gone while it is still the active one: generation 1 (standby) answers what it
        // misses, after its standby delay and still inside Discord's window.
        gen2.close();
        before = sim().stats();
        double standbyClaimed = claims(gen1, "claimed", "standby");
        List<Long> phase3 = inject(12, Duration.ofMillis(20), () -> {});
        assertAnsweredOnceInTime(phase3, before);
        assertThat(claims(gen1, "claimed", "standby") - standbyClaimed).isEqualTo(phase3.size());
    }
}
