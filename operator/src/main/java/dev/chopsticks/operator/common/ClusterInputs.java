package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the reconciler observed and decided before running the dependents: the shard plan, the PostgreSQL connection
 * (when PgBouncer is enabled), and the shard generations that should exist with the one that is active.
 * Dependents' {@code desired()} read it from the context; it is the only secondary data they depend on besides
 * their own resource.
 *
 * @param plan the desired shard plan
 * @param postgres the PostgreSQL connection, when observed
 * @param generations the shard generations that should exist, oldest first (one, or two during a reshard)
 * @param activeGeneration the generation to publish as active
 * @param sessionsFrom the generation whose Discord sessions the active one resumes (the switch of a hand-off)
 */
public record ClusterInputs(
        ShardPlan plan,
        Optional<PostgresConnection> postgres,
        List<ShardGeneration> generations,
        int activeGeneration,
        OptionalInt sessionsFrom) {

    private static final String KEY = ClusterInputs.class.getName();

    public ClusterInputs {
        generations = List.copyOf(generations);
    }

    /** A single generation 1 with the plan. */
    public ClusterInputs(ShardPlan plan, Optional<PostgresConnection> postgres) {
        this(plan, postgres, List.of(new ShardGeneration(1, plan)), 1, OptionalInt.empty());
    }

    public static ClusterInputs of(ChopsticksCluster cluster, PostgresConnection postgres) {
        return new ClusterInputs(
                ShardPlan.compute(cluster.getSpec().guilds(), cluster.getSpec().sharding()),
                Optional.ofNullable(postgres));
    }

    public ClusterInputs withGenerations(List<ShardGeneration> live, int active, OptionalInt sessionsFrom) {
        return new ClusterInputs(plan, postgres, live, active, sessionsFrom);
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
