package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.world.SimGuild;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the control plane and of the operator itself, with 8 REAL bots (as in {@link RealBotRolloutE2E}: the
 * operator jar as a process, bots run by pod-runner against the Discord simulator, real PostgreSQL, PgBouncer and
 * Redis) and the rollout policy's defaults. The operator runs as its Deployment would, restarted whenever it exits
 * ({@link SupervisedOperator}). Each fault hits a rollout in progress; the rollout must finish with every pod replaced
 * exactly once (so exactly one IDENTIFY per shard) and Discord's identify rule kept. Ordered: each step starts from
 * the previous one's cluster. Prints the figures for docs/benchmarks.md.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealBotFaultsE2E {
    private static final String NS = "e2e-faults";
    private static final int SHARDS = 8;
    private static final long GUILDS = 8_000;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration KILL_EVERY = Duration.ofSeconds(10);
    private static final int KILLS = 12; // 2 minutes

    private static KubernetesClient client;
    private static RealBots bots;
    private static ShardRollout rollout;
    private static SupervisedOperator operator;

    private static void figure(String text) {
        System.out.println("RealBotFaultsE2E figure: " + text);
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
        operator = SupervisedOperator.start("faults-operator", NS, 18096);
    }

    @AfterAll
    static void tearDown() throws Exception {
        RealBots.tearDown(
                client, bots, NS, operator == null ? List.of() : List.of(operator), "realbot-faults-events.txt");
    }

    private static ChopsticksCluster cluster(String tag) {
        return bots.cluster(GUILDS, SHARDS, 1, RealBots.IMAGE + ":" + tag, RolloutSpec.defaults());
    }

    private static int shardOf(long guild) {
        return (int) ((guild >> 22) % SHARDS);
    }

    /** Whether the interaction went to a shard whose pod was between processes (deleted, replacement not yet Ready). */
    private static boolean toAShardBeingReplaced(InteractionTraffic.Sent sent, Instant from) {
        return bots.timeline.betweenProcesses(
                ShardRollout.STS + "-" + shardOf(sent.guild()), sent.at(), from, Duration.ZERO);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    @Test
    @Order(1)
    void eightRealBotsComeUp() {
        client.resource(cluster("v1")).serverSideApply();
        rollout.awaitRolledOut();
        assertThat(bots.identifyViolations()).isZero();
    }

    @Test
    @Order(2)
    void theApiServerAndEtcdStoppedFor30sMidRolloutAndTheRolloutResumes() throws Exception {
        assumeThat(ControlPlane.isSimulated())
                .as("the outage is made by hack/sim-cluster.sh")
                .isTrue();
        bots.discord.resetStats();
        int startsBefore = operator.starts();
        List<Long> guilds =
                bots.discord.world().guilds().stream().map(SimGuild::id).toList();
        InteractionTraffic traffic = InteractionTraffic.start(bots.discord, guilds, 10);
        Instant changed = Instant.now();
        rollout.apply(cluster("v2"));
        await().atMost(ShardRollout.CONVERGE)
                .until(() -> bots.timeline.deletionsAfter(changed).size() >= 2);
        int beforeOutage = bots.timeline.deletionsAfter(changed).size();

        ControlPlane.Outage outage = ControlPlane.outage(OUTAGE);

        rollout.awaitRolledOut();
        Instant done = Instant.now();
        List<InteractionTraffic.Sent> sent = traffic.stop();
        String target = rollout.templateHash();
        Instant first = rollout.assertPaced(changed, 1, target);
        assertThat(bots.discord.stats().identifies())
                .as("IDENTIFYs: one per replaced pod, none from a bot that lost its session")
                .isEqualTo(SHARDS);
        assertThat(bots.identifyViolations()).isZero();
        Instant resumed = bots.timeline.deletionsAfter(outage.back()).stream()
                .findFirst()
                .map(ShardTimeline.Deletion::at)
                .orElse(done);

        List<InteractionTraffic.Sent> steady =
                sent.stream().filter(s -> !toAShardBeingReplaced(s, changed)).toList();
        List<InteractionTraffic.Sent> duringOutage = sent.stream()
                .filter(s -> !s.at().isBefore(outage.stopped()) && s.at().isBefore(outage.back()))
                .toList();
        long answeredInOutage = duringOutage.stream()
                .filter(s -> s.outcome() == InteractionTraffic.Outcome.ANSWERED)
                .count();
        figure(String.format(
                "kube-apiserver and etcd stopped %d s mid-rollout (%d of %d pods replaced): API unreachable %.1f s; "
                        + "operator restarted %d times (JOSDK exits when it cannot renew its Lease); first deletion %.1f s "
                        + "after the API was back; rollout %.1f s in all; each pod deleted once, %d IDENTIFYs, identify "
                        + "violations 0; interactions during the outage %d of %d answered; outside the pods being "
                        + "replaced %d of %d answered",
                OUTAGE.toSeconds(),
                beforeOutage,
                SHARDS,
                outage.length().toMillis() / 1000.0,
                operator.starts() - startsBefore,
                seconds(outage.back(), resumed),
                seconds(first, done),
                bots.discord.stats().identifies(),
                answeredInOutage,
                duringOutage.size(),
                steady.stream()
                        .filter(s -> s.outcome() == InteractionTraffic.Outcome.ANSWERED)
                        .count(),
                steady.size()));
        assertThat(duringOutage).as("interactions sent while the API was down").isNotEmpty();
        assertThat(steady)
                .as("interactions to shards not being replaced: the bots' path to Discord needs no API server")
                .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(InteractionTraffic.Outcome.ANSWERED));
        assertThat(bots.discord.stats().duplicateAcknowledgements()).isZero();
    }

    @Test
    @Order(3)
    void anOperatorKilledEvery10sFor2MinutesConvergesWithoutRestartingAPodTwice() throws Exception {
        bots.discord.resetStats();
        Instant changed = Instant.now();
        client.resource(cluster("v3")).serverSideApply();
        AtomicInteger kills = new AtomicInteger();
        CountDownLatch loopDone = new CountDownLatch(1);
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        killer.scheduleAtFixedRate(
                () -> {
                    try {
                        operator.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (kills.incrementAndGet() == KILLS) {
                        loopDone.countDown();
                        throw new IllegalStateException("kill loop over"); // ends the schedule
                    }
                },
                KILL_EVERY.toMillis(),
                KILL_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            assertThat(loopDone.await(KILLS * KILL_EVERY.toSeconds() + 60, TimeUnit.SECONDS))
                    .as("kill loop finished")
                    .isTrue();
        } finally {
            killer.shutdownNow();
        }
        Instant lastKill = Instant.now();
        int replacedDuringLoop = bots.timeline.deletionsAfter(changed).size();

        rollout.awaitRolledOut();
        Instant done = Instant.now();
        Instant first = rollout.assertPaced(changed, 1, rollout.templateHash());
        assertThat(bots.discord.stats().identifies())
                .as("IDENTIFYs: one per replaced pod")
                .isEqualTo(SHARDS);
        assertThat(bots.identifyViolations()).isZero();
        figure(String.format(
                "operator SIGKILLed every %d s for %d s (%d kills, restarted %.0f s later each time) during a "
                        + "maxConcurrency-1 rollout of %d real bots: %d pods replaced during the loop, all %d Ready %.1f s "
                        + "after the last kill; rollout %.1f s in all (first deletion %.1f s after the change); each pod "
                        + "deleted once, %d IDENTIFYs, identify violations 0",
                KILL_EVERY.toSeconds(),
                KILLS * KILL_EVERY.toSeconds(),
                kills.get(),
                (double) SupervisedOperator.RESTART_DELAY.toSeconds(),
                SHARDS,
                replacedDuringLoop,
                SHARDS,
                seconds(lastKill, done),
                seconds(first, done),
                seconds(changed, first),
                bots.discord.stats().identifies()));
    }
}
