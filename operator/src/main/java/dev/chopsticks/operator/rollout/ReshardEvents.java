package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Events for a reshard: a generation started, the switch, a generation retired. */
public final class ReshardEvents {
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
            if (!existed.contains(p)) {
                ShardPlan pp = live.stream()
                        .filter(g -> g.generation() == p)
                        .findFirst()
                        .orElseThrow()
                        .plan();
                events.normal(
                        cluster,
                        EventReason.RESHARD_STARTED,
                        "shard generation " + p + " (" + pp.shards()
                                + " shards in " + pp.pods() + " pods) started next to generation "
                                + d.previouslyActive().orElse(0)
                                + ", which keeps serving until every new shard is Ready");
            }
        });
        if (d.switched()) {
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
