package dev.chopsticks.operator.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Everything the planner decides from: the time, the settings and the observed generations. Built from the
 * cluster (pods, Shards, StatefulSets) on every reconcile; nothing comes from the operator's memory.
 *
 * @param now the reconcile's clock
 * @param settings spec knobs, manual restart, identify budget
 * @param generations the live generations
 * @param rolling generations whose outdated pods the rolling restart replaces (during a reshard only the new one:
 *     the old one is retired, not rolled)
 */
public record RolloutInput(
        Instant now, RolloutSettings settings, List<GenerationState> generations, Set<Integer> rolling) {

    public RolloutInput {
        generations = List.copyOf(generations);
        rolling = Set.copyOf(rolling);
    }

    /** One generation that rolls. */
    public static RolloutInput of(Instant now, RolloutSettings settings, GenerationState generation) {
        return new RolloutInput(now, settings, List.of(generation), Set.of(generation.generation()));
    }
}
