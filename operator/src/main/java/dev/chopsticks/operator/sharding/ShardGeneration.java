package dev.chopsticks.operator.sharding;

/**
 * A shard generation that should exist: its number and its plan (a generation keeps its layout, shard count and
 * shards per pod, for its whole life; a different layout is a new generation).
 *
 * @param generation 1 for the cluster's first StatefulSet, one more per reshard
 * @param plan the generation's shard plan
 */
public record ShardGeneration(int generation, ShardPlan plan) {
    public ShardGeneration {
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be positive: " + generation);
        }
    }
}
