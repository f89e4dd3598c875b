package dev.chopsticks.operator;

import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.GenerationPlanner;
import dev.chopsticks.operator.rollout.GenerationState;
import java.util.List;
import java.util.OptionalInt;

/**
 * The plan step for resharding, pure: from the generations that exist and the one the ConfigMap names active, which
 * should exist (each with its shard plan) and which one serves ({@link GenerationPlanner}).
 *
 * @param before the generations as observed before the apply
 * @param decision what {@link GenerationPlanner} decided
 * @param live the generations that should exist, oldest first, with their plans
 */
record ShardGenerations(List<GenerationState> before, GenerationPlanner.Decision decision, List<ShardGeneration> live) {

    static ShardGenerations plan(List<GenerationState> before, OptionalInt configMapActive, ShardPlan plan) {
        GenerationPlanner.Decision decision = GenerationPlanner.plan(
                before.stream().map(GenerationPlanner.Observed::of).toList(),
                configMapActive,
                new GenerationPlanner.Layout(plan.shards(), plan.shardsPerPod()));
        List<ShardGeneration> live = decision.live().stream()
                .map(l -> new ShardGeneration(
                        l.generation(),
                        plan.withLayout(l.layout().shards(), l.layout().shardsPerPod())))
                .toList();
        return new ShardGenerations(before, decision, live);
    }
}
