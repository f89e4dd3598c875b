package dev.chopsticks.operator.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Everything the planner decides from: the time, the settings and the observed generations. Built from the
 * cluster (pods, Shards, StatefulSets) on every reconcile; from the operator's memory only since when it has watched.
 *
 * @param now the reconcile's clock
 * @param observingSince since when the operator has watched the cluster without a gap ({@code ApiContact}): heartbeat
 *     age before it is not held against a shard
 * @param settings spec knobs, manual restart, identify budget
 * @param generations the live generations
 * @param rolling generations whose outdated pods the rolling restart replaces (during a reshard only the new one:
 *     the old one is retired, not rolled)
 */
public record RolloutInput(
        Instant now,
        Instant observingSince,
        RolloutSettings settings,
        List<GenerationState> generations,
        Set<Integer> rolling) {

    public RolloutInput {
        generations = List.copyOf(generations);
        rolling = Set.copyOf(rolling);
    }

    /** One generation that rolls, observed without a gap for ever (tests). */
    public static RolloutInput of(Instant now, RolloutSettings settings, GenerationState generation) {
        return new RolloutInput(now, Instant.MIN, settings, List.of(generation), Set.of(generation.generation()));
    }
}
