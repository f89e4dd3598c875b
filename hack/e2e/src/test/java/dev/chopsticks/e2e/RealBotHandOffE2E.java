package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.SimGuild;
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
 * An image change of 16 REAL bots with {@code rollout.sessionHandOff} (issue 18): each restarted pod's successor
 * RESUMEs the session its predecessor saved in Redis, so the rollout spends no IDENTIFY and is not paced by identify
 * windows. Same tier as {@link RealBotRolloutE2E} (operator jar, real StatefulSet controller, pod-runner running
 * bot-runtime processes, the Discord simulator's resume model, real PostgreSQL/PgBouncer/Redis), 20 interactions/s
 * over every shard while it rolls. Prints the figures for docs/benchmarks.md. Not in the default e2e run (tag
 * {@code handoff}, about 5 min): {@code mvn -pl hack/e2e -Pe2e verify -De2e.groups=handoff} on a running
 * sim-cluster. The bot-level hand-off (SIGTERM, SIGKILL, expired window) is in CI as {@code SessionHandOffIT}.
 *
 * <p>maxConcurrency 1 throughout: the bots first come up identify-paced (16 x 5 s), then an image change, which an
 * identify-paced rollout could not do in less than 16 x 5 s = 80 s.
 */
@Tag("handoff")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealBotHandOffE2E {
    private static final String NS = "e2e-handoff";
    private static final int SHARDS = 16;
    private static final long GUILDS = 16_000;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final RolloutSpec HAND_OFF = new RolloutSpec(false, "5s", 10, "60s", "10m", true);

    private static KubernetesClient client;
    private static RealBots bots;
    private static ShardRollout rollout;
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
        rollout = new ShardRollout(client, NS, SHARDS, bots.timeline);
        operators.add(OperatorProcess.start("handoff-a", NS, 18095));
    }

    @AfterAll
    static void tearDown() throws Exception {
        RealBots.tearDown(client, bots, NS, operators, "realbot-handoff-events.txt");
    }

    private static ChopsticksCluster cluster(String tag) {
        return bots.cluster(GUILDS, SHARDS, 1, RealBots.IMAGE + ":" + tag, HAND_OFF);
    }

    @Test
    @Order(1)
    void sixteenBotsWithTheRelayComeUp() {
        client.resource(cluster("v1")).serverSideApply();
        rollout.awaitRolledOut();
        // at least one each (a bot whose first attempt failed under the load of 16 starts identifies again, paced)
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

    @Test
    @Order(2)
    void anImageChangeAtMaxConcurrency1ResumesEveryShardWithoutAnIdentify() throws Exception {
        bots.discord.resetStats();
        List<Long> guilds =
                bots.discord.world().guilds().stream().map(SimGuild::id).toList();
        InteractionTraffic traffic = InteractionTraffic.start(bots.discord, guilds, 20);
        Instant changed = Instant.now();
        rollout.apply(cluster("v2"));
        rollout.awaitRolledOut();
        Instant done = Instant.now();
        List<InteractionTraffic.Sent> sent = traffic.stop();
        SimStats stats = bots.discord.stats();

        List<ShardTimeline.Deletion> deletions = bots.timeline.deletionsAfter(changed);
        Instant first = deletions.stream()
                .map(ShardTimeline.Deletion::at)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        double seconds = Duration.between(first, done).toMillis() / 1000.0;
        Map<InteractionTraffic.Outcome, Long> outcomes =
                sent.stream().collect(Collectors.groupingBy(InteractionTraffic.Sent::outcome, Collectors.counting()));
        List<Long> latencies = sent.stream()
                .filter(s -> s.latency() != null)
                .map(s -> s.latency().toMillis())
                .sorted()
                .toList();
        long p99 =
                latencies.isEmpty() ? -1 : latencies.get((int) Math.min(latencies.size() - 1, latencies.size() * 0.99));
        long over3s = latencies.stream().filter(ms -> ms > 3000).count();
        figure(String.format(
                "16 real bots, maxConcurrency 1, image change with sessionHandOff: rollout %.1f s (first delete -> "
                        + "last Ready; identify-paced >= 80 s); identifies %d, resumes %d, failed resumes %d, "
                        + "dispatches replayed %d, longest a dispatch waited for a connection %d ms; interactions "
                        + "%d sent: %s; answered p99 %d ms, %d over 3 s; late acks %d, duplicate acks %d; "
                        + "identify violations %d",
                seconds,
                stats.identifies(),
                stats.resumes(),
                stats.failedResumes(),
                stats.dispatchesReplayed(),
                stats.maxDispatchDeliveryWaitMs(),
                sent.size(),
                outcomes,
                p99,
                over3s,
                stats.lateAcknowledgements(),
                stats.duplicateAcknowledgements(),
                bots.identifyViolations()));

        assertThat(deletions)
                .extracting(ShardTimeline.Deletion::pod)
                .doesNotHaveDuplicates()
                .hasSize(SHARDS);
        assertThat(stats.identifies())
                .as("no IDENTIFY: every restarted shard resumed")
                .isZero();
        assertThat(stats.resumes()).isGreaterThanOrEqualTo(SHARDS);
        assertThat(stats.failedResumes()).isZero();
        assertThat(bots.identifyViolations()).isZero();
        assertThat(sessions()).as("kubectl get shards: SESSION").hasSize(SHARDS).containsOnly(ShardStatus.RESUMED);
        assertThat(stats.duplicateAcknowledgements())
                .as("each interaction answered at most once")
                .isZero();
        // The duration is a figure, not asserted: each resumed shard still waits for its successor's JVM start, and
        // here four start at once on 2 shared cores (docs/benchmarks.md); make-before-break removes that wait.
    }
}
