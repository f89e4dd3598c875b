package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Events for a reshard or a session hand-off (make-before-break rollout): a generation started, the switch, a
 * generation retired.
 */
public final class ReshardEvents {
    private static final String STARTED_KEY = "generation-started";
    private final EventRecorder events;

    public ReshardEvents(EventRecorder events) {
        this.events = events;
    }

    /**
     * @param d the generation decision of this reconcile
     * @param before the generations that existed before it
     * @param live the generations that exist now, with their plans
     */
    public void record(
            ChopsticksCluster cluster,
            GenerationPlanner.Decision d,
            List<GenerationState> before,
            List<ShardGeneration> live) {
        Set<Integer> existed = before.stream().map(GenerationState::generation).collect(Collectors.toSet());
        d.pending().ifPresent(p -> {
            // once per generation: the reconcile right after the create may not see its StatefulSet yet
            boolean announced = events.remember(cluster, STARTED_KEY, p)
                    .map(Integer.valueOf(p)::equals)
                    .orElse(false);
            if (!existed.contains(p) && !announced) {
                ShardPlan pp = live.stream()
                        .filter(g -> g.generation() == p)
                        .findFirst()
                        .orElseThrow()
                        .plan();
                String started = "shard generation " + p + " (" + pp.shards() + " shards in " + pp.pods()
                        + " pods) started next to generation "
                        + d.previouslyActive().orElse(0);
                if (d.handingOver()) {
                    events.normal(
                            cluster,
                            EventReason.HAND_OFF_STARTED,
                            started + " with the new pod template; generation "
                                    + d.previouslyActive().orElse(0)
                                    + " keeps serving until every new shard is warm, then hands its sessions over"
                                    + " (RESUME, no IDENTIFY)");
                } else {
                    events.normal(
                            cluster,
                            EventReason.RESHARD_STARTED,
                            started + ", which keeps serving until every new shard is Ready");
                }
            }
        });
        if (d.switched() && d.sessionsFrom().isPresent()) {
            events.normal(
                    cluster,
                    EventReason.SESSIONS_HANDED_OVER,
                    "generation " + d.active() + " is now active (" + d.reason() + "); generation "
                            + d.sessionsFrom().getAsInt() + " drops its sessions for them and is retired");
        } else if (d.switched()) {
            events.normal(
                    cluster,
                    EventReason.RESHARD_SWITCHED,
                    "generation " + d.active() + " is now active (" + d.reason() + "); generation "
                            + d.previouslyActive().getAsInt() + " stops handling events and is retired");
        }
        for (int retired : d.retired()) {
            GenerationState g = before.stream()
                    .filter(x -> x.generation() == retired)
                    .findFirst()
                    .orElseThrow();
            events.normal(
                    cluster,
                    EventReason.GENERATION_RETIRED,
                    "shard generation " + retired + " (" + g.shardCount() + " shards, StatefulSet " + g.statefulSet()
                            + ") retired");
        }
    }
}
