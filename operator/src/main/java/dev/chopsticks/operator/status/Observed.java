package dev.chopsticks.operator.status;

import dev.chopsticks.operator.sharding.ShardPlan;
import dev.chopsticks.operator.validation.Problem;
import java.util.Optional;

/**
 * What one reconcile saw, for the status: the plan (absent when validation failed before computing it), the
 * first problem, the migration's state, and the shards' readiness.
 *
 * @param plan the shard plan, if computed
 * @param problem why the cluster is Degraded, if it is
 * @param migration state of the current image's migration Job
 * @param migrationJob name of that Job
 * @param migrationFailure the Job's failure reason and message, when it failed
 * @param shardsDeployed whether the shard StatefulSet exists
 * @param readyShards Shards of the current plan whose bot reports Ready
 * @param guilds guilds held by those shards
 */
public record Observed(
    Optional<ShardPlan> plan,
    Optional<Problem> problem,
    Migration migration,
    String migrationJob,
    String migrationFailure,
    boolean shardsDeployed,
    int readyShards,
    long guilds) {

  public enum Migration { NOT_STARTED, RUNNING, SUCCEEDED, FAILED }
}
