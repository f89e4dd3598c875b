package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.IdentifyStatus;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.ControlAnnotations;
import dev.chopsticks.operator.rollout.GenerationPlanner;
import dev.chopsticks.operator.rollout.GenerationState;
import dev.chopsticks.operator.rollout.ReshardEvents;
import dev.chopsticks.operator.rollout.RolloutDecision;
import dev.chopsticks.operator.rollout.RolloutEvents;
import dev.chopsticks.operator.rollout.RolloutExecutor;
import dev.chopsticks.operator.rollout.RolloutInput;
import dev.chopsticks.operator.rollout.RolloutObserver;
import dev.chopsticks.operator.rollout.RolloutPlanner;
import dev.chopsticks.operator.rollout.RolloutSettings;
import dev.chopsticks.operator.rollout.ShardState;
import dev.chopsticks.operator.shards.ShardStatusSync;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roll step, after a successful apply: reshard Events, then observe the live generations as the apply left them,
 * plan (respawns and the rolling restart, {@link RolloutPlanner}), write the pod side of the Shard statuses (with the
 * Respawn conditions the plan implies), announce, and carry the plan out ({@link RolloutExecutor}).
 */
public final class ShardRollout {
    /** After a generation switch: look again soon, the old generation is retired by the next reconcile. */
    static final Duration AFTER_SWITCH = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ShardRollout.class);

    private final RolloutExecutor executor;
    private final RolloutEvents rolloutEvents;
    private final ReshardEvents reshardEvents;

    public ShardRollout(RolloutExecutor executor, RolloutEvents rolloutEvents, ReshardEvents reshardEvents) {
        this.executor = executor;
        this.rolloutEvents = rolloutEvents;
        this.reshardEvents = reshardEvents;
    }

    /** The rollout with its collaborators, all recording through {@code events}. */
    public static ShardRollout recordingTo(EventRecorder events) {
        return new ShardRollout(new RolloutExecutor(events), new RolloutEvents(events), new ReshardEvents(events));
    }

    /**
     * What the roll step saw and decided.
     *
     * @param decision the rollout planner's decision
     * @param generations the live generations as observed after the apply
     * @param generationDecision the reshard decision of this reconcile
     * @param identify the identify budget as the bots last reported it
     * @param activeWarnings the warnings that still hold
     */
    public record Result(
            RolloutDecision decision,
            List<GenerationState> generations,
            GenerationPlanner.Decision generationDecision,
            Optional<IdentifyStatus> identify,
            Set<EventReason> activeWarnings) {

        /**
         * When to look again without an event: the planner's recheck, at the latest shortly after a generation switch
         * (the old generation is retired once the ConfigMap says so, and our own ConfigMap write triggers nothing).
         */
        Optional<Duration> recheckAfter() {
            Optional<Duration> recheck = decision.recheckAfter();
            if (!generationDecision.switched()) {
                return recheck;
            }
            return Optional.of(
                    recheck.filter(r -> r.compareTo(AFTER_SWITCH) < 0).orElse(AFTER_SWITCH));
        }
    }

    Result roll(
            ChopsticksCluster cluster,
            Context<ChopsticksCluster> context,
            ShardPlan plan,
            ShardGenerations generations,
            Instant now,
            Instant observingSince) {
        GenerationPlanner.Decision d = generations.decision();
        reshardEvents.record(cluster, d, generations.before(), generations.live());
        ClusterObjects objects = ClusterObjects.read(cluster, context);
        List<GenerationState> states = generations.live().stream()
                .map(g -> observe(cluster, objects, g))
                .toList();
        List<ShardState> shardStates =
                states.stream().flatMap(g -> g.shards().values().stream()).toList();
        Optional<IdentifyStatus> identify = RolloutObserver.identify(shardStates, now);
        RolloutSettings settings = RolloutSettings.from(
                cluster.getSpec().rollout(),
                plan.maxConcurrency(),
                ControlAnnotations.restartAt(cluster),
                identify.map(i -> OptionalInt.of(i.remaining())).orElse(OptionalInt.empty()),
                plan.shards());
        int rolling = d.pending().orElse(d.active());
        RolloutDecision decision =
                RolloutPlanner.plan(new RolloutInput(now, observingSince, settings, states, Set.of(rolling)));

        Map<String, RolloutDecision.RefusedRespawn> refused = decision.refusedRespawns().stream()
                .collect(Collectors.toMap(RolloutDecision.RefusedRespawn::shard, r -> r, (a, b) -> a));
        int patched = ShardStatusSync.sync(
                context.getClient(), cluster, generations.live(), objects.shards(), objects.pods(), refused, now);
        if (patched > 0) {
            LOG.debug(
                    "cluster {}/{}: pod side of {} shard statuses written",
                    cluster.getMetadata().getNamespace(),
                    cluster.getMetadata().getName(),
                    patched);
        }
        Set<EventReason> warnings = rolloutEvents.announce(cluster, decision);
        Map<String, ShardState> byName = shardStates.stream()
                .filter(x -> x.name() != null)
                .collect(Collectors.toMap(ShardState::name, x -> x, (a, b) -> a));
        executor.execute(context.getClient(), cluster, decision, byName, now);
        return new Result(decision, states, d, identify, warnings);
    }

    /** Warnings about the rollout's control annotations (they hold whether or not the apply succeeded). */
    Set<EventReason> checkAnnotations(ChopsticksCluster cluster) {
        return rolloutEvents.checkRestartAt(cluster);
    }

    /** A live generation as observed, whether its StatefulSet exists yet or not. */
    private static GenerationState observe(ChopsticksCluster cluster, ClusterObjects objects, ShardGeneration g) {
        Optional<StatefulSet> sts = objects.statefulSets().stream()
                .filter(x -> RolloutObserver.generationOf(x) == g.generation())
                .findFirst();
        return RolloutObserver.generation(
                g.generation(),
                new GenerationPlanner.Layout(g.plan().shards(), g.plan().shardsPerPod()),
                Names.shardStatefulSet(cluster, g.generation()),
                sts.map(Annotations::podTemplateHash).orElse(null),
                sts.map(RolloutObserver::controllerCurrent).orElse(false),
                objects.pods().values(),
                objects.shards());
    }
}
