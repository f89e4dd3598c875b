package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.sharding.ShardPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * What the reconciler observed and validated before running the dependents: the shard plan and, when PgBouncer
 * is enabled, the PostgreSQL connection. Dependents' {@code desired()} read it from the context; it is the only
 * secondary data they depend on besides their own resource.
 */
public record ClusterInputs(ShardPlan plan, Optional<PostgresConnection> postgres) {

  private static final String KEY = ClusterInputs.class.getName();

  public static ClusterInputs of(ChopsticksCluster cluster, PostgresConnection postgres) {
    return new ClusterInputs(ShardPlan.compute(cluster.getSpec().guilds(), cluster.getSpec().sharding()),
        Optional.ofNullable(postgres));
  }

  public void putInto(Context<ChopsticksCluster> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  public static ClusterInputs from(Context<ChopsticksCluster> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, ClusterInputs.class);
  }

  public PostgresConnection requirePostgres() {
    return postgres.orElseThrow(() -> new IllegalStateException("PostgreSQL connection was not observed"));
  }
}
