package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.GenerationPlanner;
import dev.chopsticks.operator.rollout.GenerationState;
import dev.chopsticks.operator.shards.ShardStatefulSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The plan step for resharding and session hand-offs, pure: from the generations that exist and the one the
 * ConfigMap names active, which should exist (each with its shard plan) and which one serves
 * ({@link GenerationPlanner}).
 *
 * @param before the generations as observed before the apply
 * @param decision what {@link GenerationPlanner} decided
 * @param live the generations that should exist, oldest first, with their plans
 */
record ShardGenerations(List<GenerationState> before, GenerationPlanner.Decision decision, List<ShardGeneration> live) {

    static ShardGenerations plan(
            ChopsticksCluster cluster, List<GenerationState> before, OptionalInt configMapActive, ShardPlan plan) {
        boolean handOff = Boolean.TRUE.equals(cluster.getSpec().rollout().sessionHandOff());
        GenerationPlanner.Decision decision = GenerationPlanner.plan(
                before.stream()
                        .map(g -> GenerationPlanner.Observed.of(g, templateCurrent(cluster, plan, g)))
                        .toList(),
                configMapActive,
                new GenerationPlanner.Layout(plan.shards(), plan.shardsPerPod()),
                handOff);
        List<ShardGeneration> live = decision.live().stream()
                .map(l -> new ShardGeneration(
                        l.generation(),
                        plan.withLayout(l.layout().shards(), l.layout().shardsPerPod()),
                        decision.pinned().equals(OptionalInt.of(l.generation()))))
                .toList();
        return new ShardGenerations(before, decision, live);
    }

    /** The generation's StatefulSet has the pod template the spec asks for now (same hash as its desired one). */
    private static boolean templateCurrent(ChopsticksCluster cluster, ShardPlan plan, GenerationState g) {
        ShardPlan own = plan.withLayout(g.shardCount(), g.shardsPerPod());
        String desired = Annotations.podTemplateHash(ShardStatefulSet.desired(cluster, own, g.generation()));
        return Objects.equals(desired, g.targetHash());
    }
}
