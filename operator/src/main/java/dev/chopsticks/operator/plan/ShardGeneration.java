package dev.chopsticks.operator.plan;

import dev.chopsticks.api.v1alpha1.Shard;

/**
 * A shard generation that should exist: its number and its plan (a generation keeps its layout, shard count and
 * shards per pod, for its whole life; a different layout is a new generation).
 *
 * @param generation 1 for the cluster's first StatefulSet, one more per reshard or session hand-off
 * @param plan the generation's shard plan
 * @param pinned its StatefulSet keeps the pod template it has: it serves while a successor generation with the new
 *     template gets warm to take its sessions over
 */
public record ShardGeneration(int generation, ShardPlan plan, boolean pinned) {
    public ShardGeneration {
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be positive: " + generation);
        }
    }

    public ShardGeneration(int generation, ShardPlan plan) {
        this(generation, plan, false);
    }

    /** The generation a Shard object belongs to (absent: 1, the Shards from before generations). */
    public static int numberOf(Shard shard) {
        Integer g = shard.getSpec() == null ? null : shard.getSpec().generation();
        return g == null ? 1 : g;
    }
}
