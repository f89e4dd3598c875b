package dev.chopsticks.operator.status;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.operator.plan.ShardGeneration;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * How many Shards report Ready, and the guilds they hold, for {@code status.readyShards} and {@code status.guilds}.
 * Pure; only the bot's {@code phase} counts (a Ready pod whose bot has not reported is not a ready shard).
 *
 * @param ready Shards that report Ready
 * @param guilds guilds reported by the Ready Shards that hold them
 */
public record ShardReadiness(int ready, long guilds) {

    /**
     * Without the generations (validation or the apply failed): the Shards of the current shard count, any
     * generation, both for readiness and guilds.
     */
    public static ShardReadiness ofShardCount(Collection<Shard> shards, int total) {
        Predicate<Shard> current = s -> s.getSpec().shardCount() == total;
        return count(shards, current, current);
    }

    /**
     * During or after a rollout: Ready Shards of the target generation (the newest live one) with the current shard
     * count; guilds of the active generation's, which is the one serving them.
     */
    public static ShardReadiness ofGenerations(Collection<Shard> shards, int total, int target, int active) {
        return count(
                shards,
                s -> ShardGeneration.numberOf(s) == target && s.getSpec().shardCount() == total,
                s -> ShardGeneration.numberOf(s) == active);
    }

    private static ShardReadiness count(Collection<Shard> shards, Predicate<Shard> counts, Predicate<Shard> serves) {
        int ready = 0;
        long guilds = 0;
        for (Shard s : shards) {
            if (s.getSpec() == null || s.getStatus() == null || s.getStatus().phase() != ShardPhase.Ready) {
                continue;
            }
            if (counts.test(s)) {
                ready++;
            }
            if (serves.test(s)) {
                guilds += s.getStatus().guilds() == null ? 0 : s.getStatus().guilds();
            }
        }
        return new ShardReadiness(ready, guilds);
    }
}
