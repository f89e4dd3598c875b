package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.SimGuild;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An image change of 16 REAL bots with {@code rollout.sessionHandOff} (issue 18), make-before-break: the operator
 * runs the new image as shard generation 2 next to generation 1 (same layout, 4 shards in each of 4 pods), whose
 * bots get warm and wait in Standby; once all 16 are warm the generation ConfigMap switches with
 * {@code sessions-from: 1}, generation 1's relays release their sessions and generation 2's RESUME them. Same tier
 * as {@link RealBotRolloutE2E} (operator jar, real StatefulSet controller, pod-runner running bot-runtime processes,
 * the Discord simulator's resume model, real PostgreSQL/PgBouncer/Redis), 20 interactions/s over every shard while
 * it rolls. Prints the figures for docs/benchmarks.md. Not in the default e2e run (tag {@code handoff}, about 5
 * min): {@code mvn -pl hack/e2e -Pe2e verify -De2e.groups=handoff} on a running sim-cluster. The bot-level
 * hand-offs are in CI: {@code SessionTakeoverIT} (the switch), {@code SessionHandOffIT} (SIGTERM, SIGKILL, expired
 * window).
 *
 * <p>maxConcurrency 1 throughout: the bots first come up identify-paced (16 x 5 s), then the image change, which an
 * identify-paced rollout could not do in less than 16 x 5 s = 80 s.
 */
@Tag("handoff")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealBotHandOffE2E {
    private static final String NS = "e2e-handoff";
    private static final int SHARDS = 16;
    private static final int SHARDS_PER_POD = 4;
    private static final long GUILDS = 16_000;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final RolloutSpec HAND_OFF = new RolloutSpec(false, "5s", 10, "60s", "10m", true);

    private static KubernetesClient client;
    private static RealBots bots;
    private static final List<OperatorProcess> operators = new ArrayList<>();

    private static void figure(String text) {
        System.out.println("RealBotHandOffE2E figure: " + text);
    }

    @BeforeAll
    static void setUp() throws Exception {
        client = E2eCluster.connect();
        E2eCluster.installCrds(client);
        bots = RealBots.start(
                client,
                NS,
                SimConfig.builder().guilds((int) GUILDS).maxConcurrency(1).identifyWindow(WINDOW));
        operators.add(OperatorProcess.start("handoff-a", NS, 18095));
    }

    @AfterAll
    static void tearDown() throws Exception {
        RealBots.tearDown(client, bots, NS, operators, "realbot-handoff-events.txt");
    }

    private static ChopsticksCluster cluster(String tag) {
        return bots.cluster(GUILDS, SHARDS, SHARDS_PER_POD, 1, RealBots.IMAGE + ":" + tag, HAND_OFF);
    }

    @Test
    @Order(1)
    void sixteenBotsWithTheRelayComeUp() {
        client.resource(cluster("v1")).serverSideApply();
        await().atMost(ShardRollout.CONVERGE)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    ChopsticksCluster c = client.resources(ChopsticksCluster.class)
                            .inNamespace(NS)
                            .withName(RealBots.CLUSTER)
                            .get();
                    assertThat(c.getStatus()).isNotNull();
                    assertThat(c.getStatus().readyShards()).isEqualTo(SHARDS);
                });
        // at least one each (a bot whose first attempt failed under the load of starts identifies again, paced)
        assertThat(bots.discord.stats().identifies()).isGreaterThanOrEqualTo(SHARDS);
        assertThat(bots.identifyViolations()).isZero();
        assertThat(sessions()).as("kubectl get shards: SESSION").containsOnly(ShardStatus.IDENTIFIED);
    }

    /** What each Shard's status says of how its session began (the SESSION column of kubectl get shards). */
    private static List<String> sessions() {
        return client.resources(Shard.class).inNamespace(NS).list().getItems().stream()
                .map(sh -> sh.getStatus() == null ? null : sh.getStatus().session())
                .toList();
    }

    private static String activeGeneration() {
        ConfigMap cm = client.configMaps()
                .inNamespace(NS)
                .withName(RealBots.CLUSTER + "-generation")
                .get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("active-generation");
    }

    @Test
    @Order(2)
    void anImageChangeAtMaxConcurrency1HandsEverySessionToAWarmSuccessor() throws Exception {
        bots.discord.resetStats();
        List<Long> guilds =
                bots.discord.world().guilds().stream().map(SimGuild::id).toList();
        InteractionTraffic traffic = InteractionTraffic.start(bots.discord, guilds, 20);
        Instant changed = Instant.now();
        client.resource(cluster("v2")).serverSideApply();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> "2".equals(activeGeneration()));
        Instant switched = Instant.now();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    List<Shard> all =
                            client.resources(Shard.class).inNamespace(NS).list().getItems();
                    assertThat(all)
                            .hasSize(SHARDS)
                            .allSatisfy(
                                    sh -> assertThat(sh.getMetadata().getName()).startsWith(RealBots.CLUSTER + "-g2-"))
                            .allSatisfy(sh -> assertThat(sh.getStatus().phase()).isEqualTo(ShardPhase.Ready));
                });
        Instant lastReady = bots.timeline.readies.stream()
                .filter(r -> r.shard().startsWith(RealBots.CLUSTER + "-g2-") && r.at().isAfter(switched))
                .map(ShardTimeline.Ready::at)
                .max(Comparator.naturalOrder())
                .orElse(Instant.now());
        // traffic past the switch, then stop and collect
        List<InteractionTraffic.Sent> sent = traffic.stop();
        SimStats stats = bots.discord.stats();

        double warmUp = Duration.between(changed, switched).toMillis() / 1000.0;
        double handOver = Duration.between(switched, lastReady).toMillis() / 1000.0;
        Map<InteractionTraffic.Outcome, Long> outcomes =
                sent.stream().collect(Collectors.groupingBy(InteractionTraffic.Sent::outcome, Collectors.counting()));
        List<Long> latencies = sent.stream()
                .filter(s -> s.latency() != null)
                .map(s -> s.latency().toMillis())
                .sorted()
                .toList();
        long p99 =
                latencies.isEmpty() ? -1 : latencies.get((int) Math.min(latencies.size() - 1, latencies.size() * 0.99));
        long max = latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1);
        long over3s = latencies.stream().filter(ms -> ms > 3000).count();
        figure(String.format(
                "16 real bots (4 per pod), maxConcurrency 1, image change, make-before-break: successors warm %.1f s "
                        + "after the change (4 JVMs on 2 shared cores), switch -> every shard Ready again %.1f s "
                        + "(identify-paced >= 80 s); identifies %d, resumes %d, failed resumes %d, dispatches "
                        + "replayed %d, longest a dispatch waited for a connection %d ms; interactions %d sent: %s; "
                        + "answered p99 %d ms, max %d ms, %d over 3 s; late acks %d, duplicate acks %d; identify "
                        + "violations %d",
                warmUp,
                handOver,
                stats.identifies(),
                stats.resumes(),
                stats.failedResumes(),
                stats.dispatchesReplayed(),
                stats.maxDispatchDeliveryWaitMs(),
                sent.size(),
                outcomes,
                p99,
                max,
                over3s,
                stats.lateAcknowledgements(),
                stats.duplicateAcknowledgements(),
                bots.identifyViolations()));

        assertThat(stats.identifies())
                .as("no IDENTIFY: every shard's session was taken over")
                .isZero();
        assertThat(stats.resumes()).isGreaterThanOrEqualTo(SHARDS);
        assertThat(stats.failedResumes()).isZero();
        assertThat(bots.identifyViolations()).isZero();
        assertThat(sessions()).as("kubectl get shards: SESSION").hasSize(SHARDS).containsOnly(ShardStatus.RESUMED);
        assertThat(handOver).as("switch to every shard Ready, seconds").isLessThanOrEqualTo(20.0);
        assertThat(outcomes.keySet())
                .as("every interaction answered")
                .containsOnly(InteractionTraffic.Outcome.ANSWERED);
        assertThat(over3s).as("answered later than Discord's 3 s").isZero();
        assertThat(stats.duplicateAcknowledgements())
                .as("each interaction answered at most once")
                .isZero();
        assertThat(stats.lateAcknowledgements()).isZero();
    }

    /** A Shard's status as the bots last wrote it. */
    private static ShardStatus status(String shard) {
        Shard s = client.resources(Shard.class).inNamespace(NS).withName(shard).get();
        return s == null ? null : s.getStatus();
    }

    @Test
    @Order(3)
    void aBotSigkilledUnderLoadIsReplacedByOneThatResumesItsSessions() throws Exception {
        bots.discord.resetStats();
        String pod = "chopsticks-shards-g2-1"; // shards 4-7
        List<String> shards = List.of("chopsticks-g2-4", "chopsticks-g2-5", "chopsticks-g2-6", "chopsticks-g2-7");
        List<Long> guilds =
                bots.discord.world().guilds().stream().map(SimGuild::id).toList();
        InteractionTraffic traffic = InteractionTraffic.start(bots.discord, guilds, 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> bots.discord.stats().interactionsAnswered() >= 100);
        long pid = bots.runner.process(pod).orElseThrow().pid();
        Instant died = Instant.now();
        ProcessHandle.of(pid)
                .orElseThrow()
                .destroyForcibly(); // no goodbye: the last save (every 100 ms) is what is left
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> shards.stream()
                        .map(RealBotHandOffE2E::status)
                        .allMatch(st -> st != null
                                && st.phase() == ShardPhase.Ready
                                && st.sessionStartedAt() != null
                                && Instant.parse(st.sessionStartedAt()).isAfter(died)));
        Instant back = Instant.now();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> bots.discord.stats().interactionsInjected()
                        >= 200 + 20 * Duration.between(died, back).toSeconds());
        List<InteractionTraffic.Sent> sent = traffic.stop();
        SimStats stats = bots.discord.stats();

        List<InteractionTraffic.Sent> onPod = sent.stream()
                .filter(s -> shardOf(s.guild()) / SHARDS_PER_POD == 1)
                .toList();
        List<InteractionTraffic.Sent> afterResume =
                onPod.stream().filter(s -> s.at().isAfter(back)).toList();
        long lost = onPod.stream()
                .filter(s -> s.outcome() != InteractionTraffic.Outcome.ANSWERED)
                .count();
        figure(String.format(
                "pod %s (shards 4-7) SIGKILLed under 20 interactions/s: its shards Ready again after %.1f s; "
                        + "identifies %d, resumes %d, failed resumes %d; on its shards %d interactions sent, %d not "
                        + "answered (sent while no process held them), %d sent after the resume all answered: %s; "
                        + "duplicate acks %d",
                pod,
                Duration.between(died, back).toMillis() / 1000.0,
                stats.identifies(),
                stats.resumes(),
                stats.failedResumes(),
                onPod.size(),
                lost,
                afterResume.size(),
                afterResume.stream().allMatch(s -> s.outcome() == InteractionTraffic.Outcome.ANSWERED),
                stats.duplicateAcknowledgements()));
        assertThat(stats.identifies())
                .as("the replacement resumes, it does not identify")
                .isZero();
        assertThat(stats.resumes()).isGreaterThanOrEqualTo(SHARDS_PER_POD);
        assertThat(afterResume)
                .as("interactions sent after the resume")
                .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(InteractionTraffic.Outcome.ANSWERED));
        assertThat(sent.stream().filter(s -> shardOf(s.guild()) / SHARDS_PER_POD != 1))
                .as("interactions on the other pods' shards")
                .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(InteractionTraffic.Outcome.ANSWERED));
        assertThat(stats.duplicateAcknowledgements()).isZero();
        assertThat(bots.identifyViolations()).isZero();
    }

    private static int shardOf(long guild) {
        return (int) ((guild >> 22) % SHARDS);
    }
}
