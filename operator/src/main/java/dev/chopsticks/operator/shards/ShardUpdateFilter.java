package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Shard updates worth a cluster reconcile: metadata, spec, or the status fields the cluster status, the pod side and
 * the rollout depend on (phase, a new session: the next rollout step waits for it). Heartbeats, pings and guild
 * counts (every few seconds from every shard) are not: the cluster's {@code status.guilds} is refreshed by the next
 * reconcile, and a heartbeat going stale is found by the rollout planner's timed recheck.
 */
public class ShardUpdateFilter implements OnUpdateFilter<Shard> {

    @Override
    public boolean accept(Shard newShard, Shard oldShard) {
        if (!Objects.equals(
                        newShard.getMetadata().getLabels(),
                        oldShard.getMetadata().getLabels())
                || !Objects.equals(
                        newShard.getMetadata().getOwnerReferences(),
                        oldShard.getMetadata().getOwnerReferences())
                || !Objects.equals(
                        newShard.getMetadata().getDeletionTimestamp(),
                        oldShard.getMetadata().getDeletionTimestamp())
                || !Objects.equals(
                        newShard.getMetadata().getAnnotations(),
                        oldShard.getMetadata().getAnnotations())
                || !Objects.equals(newShard.getSpec(), oldShard.getSpec())) {
            return true;
        }
        ShardStatus a = newShard.getStatus();
        ShardStatus b = oldShard.getStatus();
        if (a == null || b == null) {
            return a != b;
        }
        return !Objects.equals(a.phase(), b.phase())
                || !Objects.equals(a.sessionStartedAt(), b.sessionStartedAt())
                || !Objects.equals(a.shard(), b.shard())
                || !Objects.equals(a.pod(), b.pod())
                || !Objects.equals(a.restarts(), b.restarts())
                || !Objects.equals(a.conditions(), b.conditions());
    }
}
