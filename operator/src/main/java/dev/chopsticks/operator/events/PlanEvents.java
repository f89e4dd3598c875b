package dev.chopsticks.operator.events;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.plan.ShardPlan;
import java.util.Optional;
import java.util.Set;

/**
 * Announces the shard plan: {@code ShardsPlanned} for a cluster's first plan, {@code ShardsScaled} when the shard
 * count changes, each once per change, and the {@code ShardOverrideIgnored} warning while {@code sharding.shards}
 * cannot hold the guilds.
 */
public final class PlanEvents {
    static final String ANNOUNCED_SHARDS = "plan/shards";

    private final EventRecorder events;

    public PlanEvents(EventRecorder events) {
        this.events = events;
    }

    /**
     * The status says what was announced before (it survives operator restarts); the recorder's memory covers the
     * moment before the operator's own status write reaches the cache. Returns the warnings that still hold.
     */
    public Set<EventReason> announce(ChopsticksCluster cluster, ShardPlan plan) {
        Integer before =
                cluster.getStatus() == null ? null : cluster.getStatus().shards();
        Optional<Object> last = events.remember(cluster, ANNOUNCED_SHARDS, plan.shards());
        boolean announced = last.equals(Optional.of(plan.shards()));
        if (before == null && !announced) {
            events.normal(
                    cluster,
                    EventReason.SHARDS_PLANNED,
                    plan.shards() + " shards for " + plan.guilds() + " guilds in " + plan.pods() + " pods ("
                            + plan.shardsPerPod() + " per pod)");
        } else if (before != null && before != plan.shards() && !announced) {
            events.normal(
                    cluster,
                    EventReason.SHARDS_SCALED,
                    "shards " + before + " -> " + plan.shards() + " for " + plan.guilds() + " guilds (" + plan.pods()
                            + " pods)");
        }
        if (!plan.explicitShardsIgnored()) {
            return Set.of();
        }
        events.warning(
                cluster,
                EventReason.SHARD_OVERRIDE_IGNORED,
                "sharding.shards (" + cluster.getSpec().sharding().shards() + ") cannot hold " + plan.guilds()
                        + " guilds at 2500 per shard; running " + plan.shards());
        return Set.of(EventReason.SHARD_OVERRIDE_IGNORED);
    }
}
