package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.world.SimGuild;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Zero-downtime resharding with REAL bots (see {@link RealBots}): 16,000 guilds on 8 shards grow to 30,000, the
 * operator brings up a 15-shard generation beside the serving one, switches when all 15 report Ready and retires the
 * old one, while Discord users keep sending slash commands. Every interaction must be answered, and exactly once,
 * although during the overlap Discord delivers each one to a session of both generations.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealBotReshardE2E {
    private static final String NS = "e2e-reshard";
    private static final Duration CONVERGE = Duration.ofMinutes(5);
    private static final RolloutSpec ROLLOUT = new RolloutSpec(false, "5s", 10, "90s", "10m", false);

    private static KubernetesClient client;
    private static RealBots bots;
    private static OperatorProcess operator;

    @BeforeAll
    static void setUp() throws Exception {
        client = E2eCluster.connect();
        E2eCluster.installCrds(client);
        // the new generation's 15 pods are created at once; on a cluster they start on other nodes, here they share 2
        // cores with the serving bots, the simulator and the data services: their starts are spread 3 s apart, niced
        // until Ready. They
        // identify 5 s apart anyway (maxConcurrency 1), so the switch comes no later. (At 1 s apart, 0-61 of ~1,900
        // replies still came after Discord's 3 s while three or four JVMs started at once.)
        bots = RealBots.start(
                client,
                NS,
                SimConfig.builder().guilds(16_000).maxConcurrency(1).identifyWindow(Duration.ofSeconds(5)),
                Duration.ofSeconds(3),
                10);
        operator = OperatorProcess.start("reshard-a", NS, 18095);
    }

    @AfterAll
    static void tearDown() throws Exception {
        RealBots.tearDown(
                client, bots, NS, operator == null ? List.of() : List.of(operator), "realbot-reshard-events.txt");
    }

    private static ChopsticksCluster get() {
        return client.resources(ChopsticksCluster.class)
                .inNamespace(NS)
                .withName(RealBots.CLUSTER)
                .get();
    }

    private static List<Shard> shards() {
        return client.resources(Shard.class).inNamespace(NS).list().getItems();
    }

    @Test
    @Order(1)
    void eightShardsServeSixteenThousandGuilds() {
        client.resource(bots.cluster(16_000, null, 1, RealBots.IMAGE + ":v1", ROLLOUT))
                .serverSideApply();
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(get().getStatus()).isNotNull();
            assertThat(get().getStatus().readyShards()).isEqualTo(8);
            assertThat(shards())
                    .hasSize(8)
                    .allSatisfy(s -> assertThat(s.getStatus().guilds()).isEqualTo(2000));
        });
    }

    @Test
    @Order(2)
    void growingToThirtyThousandGuildsSwitchesToFifteenShardsWithEveryInteractionAnsweredOnce() throws Exception {
        // the bot grows: Discord sends the old sessions 14,000 GUILD_CREATEs (3,750 guilds per shard, over the limit a
        // new IDENTIFY would get, which is why the operator reshards)
        for (int i = 0; i < 14_000; i++) {
            bots.discord.addGuild("grown-" + i);
        }
        bots.discord.resetStats();
        List<Long> guilds =
                bots.discord.world().guilds().stream().map(SimGuild::id).toList();
        assertThat(guilds).hasSize(30_000);
        InteractionTraffic traffic = InteractionTraffic.start(bots.discord, guilds, 20);

        Instant changed = Instant.now();
        client.resource(bots.cluster(30_000, null, 1, RealBots.IMAGE + ":v1", ROLLOUT))
                .serverSideApply();
        // both generations side by side, the old one serving
        await().atMost(CONVERGE).untilAsserted(() -> {
            Map<String, Long> byGeneration = shards().stream()
                    .collect(Collectors.groupingBy(
                            s -> s.getMetadata().getName().startsWith(RealBots.CLUSTER + "-g2-") ? "g2" : "g1",
                            Collectors.counting()));
            assertThat(byGeneration).containsEntry("g1", 8L).containsEntry("g2", 15L);
            assertThat(get().getStatus().rollout().activeGeneration()).isEqualTo(1);
        });
        Instant overlap = Instant.now();
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(get().getStatus().rollout().activeGeneration()).isEqualTo(2);
            assertThat(client.apps()
                            .statefulSets()
                            .inNamespace(NS)
                            .withName("chopsticks-shards")
                            .get())
                    .isNull();
            // added guilds get fresh snowflakes, so the spread is only roughly even; the total is exact
            assertThat(shards()).hasSize(15).allSatisfy(s -> {
                assertThat(s.getMetadata().getName()).startsWith(RealBots.CLUSTER + "-g2-");
                assertThat(s.getStatus().guilds()).isBetween(1, 2500);
            });
            assertThat(shards().stream().mapToInt(s -> s.getStatus().guilds()).sum())
                    .isEqualTo(30_000);
            assertThat(get().getStatus().readyShards()).isEqualTo(15);
        });
        Instant switched = Instant.now();
        // keep the users busy on the new generation alone for a while
        long injectedAtSwitch = bots.discord.stats().interactionsInjected();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> bots.discord.stats().interactionsInjected() >= injectedAtSwitch + 200);
        List<InteractionTraffic.Sent> sent = traffic.stop();

        var stats = bots.discord.stats();
        Map<InteractionTraffic.Outcome, Long> outcomes =
                sent.stream().collect(Collectors.groupingBy(InteractionTraffic.Sent::outcome, Collectors.counting()));
        List<Duration> latencies = sent.stream()
                .map(InteractionTraffic.Sent::latency)
                .filter(Objects::nonNull)
                .sorted()
                .toList();
        System.out.printf(
                "RealBotReshardE2E figure: reshard 8 -> 15 shards (16,000 -> 30,000 guilds) with real bots: "
                        + "both generations from %.1f s, switch complete %.1f s after the change; %d interactions at 20/s "
                        + "during it: %s; answered twice (40060) %d, late (10062) %d; identify violations %d; reply p50 %d ms, "
                        + "p99 %d ms, max %d ms%n",
                Duration.between(changed, overlap).toMillis() / 1000.0,
                Duration.between(changed, switched).toMillis() / 1000.0,
                sent.size(),
                outcomes,
                stats.duplicateAcknowledgements(),
                stats.lateAcknowledgements(),
                stats.identify().violations().size(),
                latencies.get(latencies.size() / 2).toMillis(),
                latencies.get(latencies.size() * 99 / 100).toMillis(),
                latencies.get(latencies.size() - 1).toMillis());
        // where the misses fell, for a failed run: per 5 s since the change, and per old-generation shard
        System.out.println("RealBotReshardE2E misses by 5 s since the change: "
                + sent.stream()
                        .filter(x -> x.outcome() != InteractionTraffic.Outcome.ANSWERED)
                        .collect(Collectors.groupingBy(
                                x -> Duration.between(changed, x.at()).toSeconds() / 5 * 5,
                                TreeMap::new,
                                Collectors.counting()))
                + "; by old shard: "
                + sent.stream()
                        .filter(x -> x.outcome() != InteractionTraffic.Outcome.ANSWERED)
                        .collect(Collectors.groupingBy(x -> (x.guild() >> 22) % 8, TreeMap::new, Collectors.counting()))
                + "; overlap from " + Duration.between(changed, overlap).toSeconds() + " s, switch at "
                + Duration.between(changed, switched).toSeconds() + " s");
        assertThat(sent)
                .hasSizeGreaterThan(500)
                .allSatisfy(s -> assertThat(s.outcome())
                        .as("guild %d at %s", s.guild(), s.at())
                        .isEqualTo(InteractionTraffic.Outcome.ANSWERED));
        assertThat(stats.duplicateAcknowledgements())
                .as("interactions answered twice")
                .isZero();
        assertThat(stats.lateAcknowledgements()).isZero();
        assertThat(stats.identify().violations()).isEmpty();
    }
}
