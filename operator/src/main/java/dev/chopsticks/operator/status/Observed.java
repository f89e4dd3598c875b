package dev.chopsticks.operator.status;

import dev.chopsticks.api.v1alpha1.IdentifyStatus;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
import dev.chopsticks.operator.validation.Problem;
import java.util.Optional;

/**
 * What one reconcile saw, for the status: the plan (absent when validation failed before computing it), the
 * first problem, the migration's state, the shards' readiness, and the rollout, reshard and identify budget.
 *
 * @param plan the shard plan, if computed
 * @param problem why the cluster is Degraded, if it is
 * @param migration state of the current image's migration Job
 * @param migrationJob name of that Job
 * @param migrationFailure the Job's failure reason and message, when it failed
 * @param shardsDeployed whether the shard StatefulSet (of the target generation) exists
 * @param readyShards Shards of the target generation whose bot reports Ready
 * @param guilds guilds held by the Ready shards of the active generation
 * @param rollout rolling-restart progress, when the planner ran (null: keep the previous status.rollout)
 * @param activeGeneration the generation serving events, when known
 * @param reshard what a reshard in progress is waiting for, null when none is
 * @param identify the identify budget as the bots reported it, null when unknown (keep the previous)
 * @param refusedRespawns shards that need a respawn the operator refused (restart cap, identify budget), and why
 */
public record Observed(
        Optional<ShardPlan> plan,
        Optional<Problem> problem,
        Migration migration,
        String migrationJob,
        String migrationFailure,
        boolean shardsDeployed,
        int readyShards,
        long guilds,
        Progress rollout,
        Integer activeGeneration,
        String reshard,
        IdentifyStatus identify,
        Optional<Problem> refusedRespawns) {

    public enum Migration {
        NOT_STARTED,
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    /** Without rollout, reshard and identify observations. */
    public Observed(
            Optional<ShardPlan> plan,
            Optional<Problem> problem,
            Migration migration,
            String migrationJob,
            String migrationFailure,
            boolean shardsDeployed,
            int readyShards,
            long guilds) {
        this(
                plan,
                problem,
                migration,
                migrationJob,
                migrationFailure,
                shardsDeployed,
                readyShards,
                guilds,
                null,
                null,
                null,
                null,
                Optional.empty());
    }
}
