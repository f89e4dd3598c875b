package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.EnvVarSpec;
import dev.chopsticks.discordsim.metrics.SimStats;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The quick start's sample rolled by a bot spec change under slash-command traffic, on whichever cluster {@link
 * ClusterEnvironment} selects: on kind the chart-installed operator rolls real pods on the operator's own PgBouncer
 * and Redis; on the simulated cluster the same operator code rolls kwok pods that pod-runner runs as bot processes.
 * The claims are the same on both: every shard pod replaced once, in order, a step only after the previous bot's
 * Ready; one IDENTIFY per shard and none breaking the identify window; no interaction acknowledged twice; every
 * interaction answered unless its shard was between processes (what a restart without RESUME costs is printed).
 */
@Tag("e2e")
@Tag(ClusterEnvironment.PORTABLE)
class SampleRolloutE2E {
    private static final String ROLL_VARIABLE = "CHOPSTICKS_E2E_ROLL";
    private static final int PER_SECOND = 4;
    private static final int GUILDS_PER_SHARD = 25;
    /**
     * An interaction is sent over HTTP (a port-forward on kind) before the simulator dispatches it: one sent this long
     * before its shard's deletion may reach a bot that is already stopping.
     */
    private static final Duration DISPATCH_LEAD = Duration.ofSeconds(1);
    /** kind pods start in tens of seconds on 2 cores: the quick start's rollout took 137-157 s (docs/benchmarks.md). */
    private static final Duration ROLLED_OUT_WITHIN = Duration.ofMinutes(8);

    private static ClusterEnvironment env;

    @BeforeAll
    static void setUp() throws Exception {
        env = ClusterEnvironment.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    private static void figure(String text) {
        System.out.println("SampleRolloutE2E figure [" + env.name() + "]: " + text);
    }

    @Test
    void aBotSpecChangeRollsEveryShardOnceWithOneIdentifyEachUnderTraffic() throws Exception {
        KubernetesClient client = env.client();
        int shards = env.shards();
        ShardRollout rollout = new ShardRollout(client, env.namespace(), shards, env.timeline());
        List<Long> guilds = IntStream.range(0, shards)
                .boxed()
                .flatMap(shard ->
                        env.discord().guildIdsForShard(shard, shards).stream().limit(GUILDS_PER_SHARD))
                .toList();
        int perStep = Optional.ofNullable(rollout.cluster().getSpec().sharding())
                .map(s -> s.maxConcurrency())
                .orElse(1);

        env.discord().resetStats();
        InteractionTraffic traffic = InteractionTraffic.start(env.discord(), guilds, PER_SECOND);
        await().atMost(Duration.ofSeconds(30))
                .alias("interactions answered before the change")
                .until(() -> traffic.answeredSoFar() >= 2L * PER_SECOND);

        String before = rollout.templateHash();
        Instant changed = Instant.now();
        rollBotEnv(client, changed.toEpochMilli());
        await().atMost(ShardRollout.CONVERGE).until(() -> !Objects.equals(before, rollout.templateHash()));
        rollout.awaitRolledOut(ROLLED_OUT_WITHIN);
        Instant done = Instant.now();
        List<InteractionTraffic.Sent> sent = traffic.stop();
        SimStats stats = env.discord().stats();

        String target = rollout.templateHash();
        Instant first = rollout.assertPaced(changed, perStep, target);
        List<InteractionTraffic.Sent> delivered = sent.stream()
                .filter(s -> s.outcome() != InteractionTraffic.Outcome.NO_SESSION)
                .toList();
        List<InteractionTraffic.Sent> toServingShards = delivered.stream()
                .filter(s -> !env.timeline()
                        .betweenProcesses(
                                ShardRollout.STS + "-" + (int) ((s.guild() >> 22) % shards),
                                s.at(),
                                changed,
                                DISPATCH_LEAD))
                .toList();
        long answered = count(sent, InteractionTraffic.Outcome.ANSWERED);
        figure(String.format(
                "%d shards rolled in %.1f s (first deletion -> last Ready; %d x 5 s identify windows = %d s),"
                        + " pod start median %.1f s; %d IDENTIFYs, %d window violations; interactions %d sent, %d answered,"
                        + " %d with no session (shard between processes), %d unanswered; %d of %d to serving shards"
                        + " answered; %d late and %d duplicate acknowledgements",
                shards,
                Duration.between(first, done).toMillis() / 1000.0,
                (shards + perStep - 1) / perStep,
                5 * ((shards + perStep - 1) / perStep),
                median(env.timeline().podStarts(changed)),
                stats.identifies(),
                stats.identify().violations().size(),
                sent.size(),
                answered,
                count(sent, InteractionTraffic.Outcome.NO_SESSION),
                count(sent, InteractionTraffic.Outcome.UNANSWERED),
                count(toServingShards, InteractionTraffic.Outcome.ANSWERED),
                toServingShards.size(),
                stats.lateAcknowledgements(),
                stats.duplicateAcknowledgements()));

        assertThat(stats.identifies()).as("IDENTIFYs: one per restarted shard").isEqualTo(shards);
        assertThat(stats.identify().violations())
                .as("identify window violations")
                .isEmpty();
        assertThat(stats.duplicateAcknowledgements())
                .as("interactions acknowledged twice")
                .isZero();
        assertThat(toServingShards)
                .as("interactions to shards not between processes")
                .hasSizeGreaterThan(shards)
                .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(InteractionTraffic.Outcome.ANSWERED));
    }

    /** Sets {@value #ROLL_VARIABLE} in spec.bot.env, keeping the variables already there: a pod template change. */
    private static void rollBotEnv(KubernetesClient client, long stamp) {
        ChopsticksCluster cluster = client.resources(ChopsticksCluster.class)
                .inNamespace(env.namespace())
                .withName(RealBots.CLUSTER)
                .get();
        KubernetesSerialization json = client.getKubernetesSerialization();
        List<Object> vars = new ArrayList<>();
        for (EnvVarSpec var : Optional.ofNullable(cluster.getSpec().bot().env()).orElse(List.of())) {
            if (!var.name().equals(ROLL_VARIABLE)) {
                vars.add(json.convertValue(var, Map.class));
            }
        }
        vars.add(Map.of("name", ROLL_VARIABLE, "value", Long.toString(stamp)));
        client.resources(ChopsticksCluster.class)
                .inNamespace(env.namespace())
                .withName(RealBots.CLUSTER)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        json.asJson(Map.of("spec", Map.of("bot", Map.of("env", vars)))));
    }

    private static long count(List<InteractionTraffic.Sent> sent, InteractionTraffic.Outcome outcome) {
        return sent.stream().filter(s -> s.outcome() == outcome).count();
    }

    private static double median(List<Duration> sorted) {
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2).toMillis() / 1000.0;
    }
}
