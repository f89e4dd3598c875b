package dev.chopsticks.operator.pgbouncer;

import dev.chopsticks.api.v1alpha1.ChopsticksClusterSpec;
import dev.chopsticks.operator.plan.ShardPlan;
import java.util.Optional;

/**
 * Server connections the cluster can open against PostgreSQL, checked against {@code postgres.maxConnections}
 * (defense in depth beyond the CRD's CEL rule, which cannot see the pod count): with PgBouncer,
 * replicas x defaultPoolSize; without, shard pods x pgPool.max.
 */
public record PoolBudget(int connections, int maxConnections, String formula) {

    public static PoolBudget of(ChopsticksClusterSpec spec, ShardPlan plan) {
        int max = spec.postgres().maxConnections();
        if (spec.pgbouncer().enabled()) {
            int replicas = spec.pgbouncer().replicas();
            int pool = spec.pgbouncer().defaultPoolSize();
            return new PoolBudget(
                    replicas * pool,
                    max,
                    "pgbouncer.replicas (" + replicas + ") x pgbouncer.defaultPoolSize (" + pool + ")");
        }
        int pods = plan.pods();
        int perPod = spec.bot().pgPool().max();
        long total = (long) pods * perPod;
        return new PoolBudget(
                (int) Math.min(Integer.MAX_VALUE, total),
                max,
                "shard pods (" + pods + ") x bot.pgPool.max (" + perPod + ") with PgBouncer disabled");
    }

    public boolean exceeded() {
        return connections > maxConnections;
    }

    /** The refusal message, if the budget is exceeded. */
    public Optional<String> refusal() {
        return exceeded()
                ? Optional.of(
                        "connection budget " + formula + " = " + connections + " exceeds postgres.maxConnections ("
                                + maxConnections + "); lower the pool sizes or raise postgres.maxConnections")
                : Optional.empty();
    }
}
