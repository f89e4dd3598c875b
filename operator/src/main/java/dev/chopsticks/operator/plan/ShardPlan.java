package dev.chopsticks.operator.plan;

import dev.chopsticks.api.v1alpha1.ShardingSpec;
import java.util.stream.IntStream;

/**
 * How a cluster's guilds are split into Discord shards and the shards into pods. Pure arithmetic: no I/O.
 *
 * <ul>
 *   <li>shards = ceil(guilds / guildsPerShard), guildsPerShard defaulting to 2,000 and never above Discord's 2,500;
 *   <li>an explicit {@code sharding.shards} wins when it can hold the guilds at 2,500 per shard (otherwise it is
 *       ignored and {@link #explicitShardsIgnored()} says so);
 *   <li>the count is rounded up to {@code shardCountMultiple} when set;
 *   <li>pods = ceil(shards / shardsPerPod), pod {@code p} running the contiguous ids
 *       {@code [p * shardsPerPod, min((p + 1) * shardsPerPod, shards) - 1]};
 *   <li>shard {@code s} identifies in bucket {@code s % maxConcurrency}.
 * </ul>
 *
 * @param guilds the spec's guild count
 * @param guildsPerShard effective guilds per shard target (clamped to 1..2,500)
 * @param shards the shard count
 * @param shardsPerPod shards each pod runs
 * @param pods pods of the shard StatefulSet
 * @param maxConcurrency Discord's max_concurrency (identify buckets)
 * @param explicitShardsIgnored true when {@code sharding.shards} was set but too small for the guilds
 */
public record ShardPlan(
        long guilds,
        int guildsPerShard,
        int shards,
        int shardsPerPod,
        int pods,
        int maxConcurrency,
        boolean explicitShardsIgnored) {

    public static final int DISCORD_MAX_GUILDS_PER_SHARD = ShardingSpec.DISCORD_MAX_GUILDS_PER_SHARD;
    /** Discord's identify rate: one IDENTIFY per bucket every 5 seconds. */
    public static final int IDENTIFY_WINDOW_SECONDS = 5;

    public ShardPlan {
        if (shards < 1 || shardsPerPod < 1 || pods < 1 || maxConcurrency < 1) {
            throw new IllegalArgumentException("shards, shardsPerPod, pods and maxConcurrency must be positive");
        }
    }

    /** Computes the plan for a guild count and sharding spec (null spec means all defaults). */
    public static ShardPlan compute(long guilds, ShardingSpec spec) {
        ShardingSpec s = spec == null ? ShardingSpec.defaults() : spec;
        if (guilds < 0) {
            throw new IllegalArgumentException("guilds must not be negative: " + guilds);
        }
        int perShard = clamp(s.guildsPerShard(), 1, DISCORD_MAX_GUILDS_PER_SHARD);
        long computed = Math.max(1, ceilDiv(guilds, perShard));
        long minimumAtDiscordLimit = Math.max(1, ceilDiv(guilds, DISCORD_MAX_GUILDS_PER_SHARD));

        long shards = computed;
        boolean ignored = false;
        if (s.shards() != null) {
            if (s.shards() >= minimumAtDiscordLimit) {
                shards = s.shards();
            } else {
                ignored = true;
            }
        }
        Integer multiple = s.shardCountMultiple();
        if (multiple != null && multiple > 1) {
            shards = ceilDiv(shards, multiple) * multiple;
        }
        if (shards > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many shards: " + shards);
        }
        int perPod = Math.max(1, s.shardsPerPod());
        int pods = (int) ceilDiv(shards, perPod);
        return new ShardPlan(guilds, perShard, (int) shards, perPod, pods, Math.max(1, s.maxConcurrency()), ignored);
    }

    /** The same guilds and buckets with another layout (an older generation's). */
    public ShardPlan withLayout(int shardCount, int perPod) {
        return new ShardPlan(
                guilds, guildsPerShard, shardCount, perPod, (shardCount + perPod - 1) / perPod, maxConcurrency, false);
    }

    /** The pod (StatefulSet ordinal) that runs a shard. */
    public int podOf(int shardId) {
        checkShard(shardId);
        return shardId / shardsPerPod;
    }

    /** The contiguous shard ids a pod runs. */
    public ShardRange rangeOf(int pod) {
        if (pod < 0 || pod >= pods) {
            throw new IndexOutOfBoundsException("pod " + pod + " of " + pods);
        }
        int first = pod * shardsPerPod;
        int last = Math.min(first + shardsPerPod, shards) - 1;
        return new ShardRange(first, last);
    }

    /** Identify bucket of a shard: {@code shard_id % max_concurrency}. */
    public int bucketOf(int shardId) {
        checkShard(shardId);
        return shardId % maxConcurrency;
    }

    /** Buckets actually used (at most maxConcurrency, at most shards). */
    public int identifyBuckets() {
        return Math.min(maxConcurrency, shards);
    }

    /** Identify waves to start every shard once: ceil(shards / maxConcurrency). */
    public int identifyWaves() {
        return (int) ceilDiv(shards, maxConcurrency);
    }

    /** Lower bound on a cold start of all shards at Discord's rate: waves x 5 s. */
    public long minimumColdStartSeconds() {
        return (long) identifyWaves() * IDENTIFY_WINDOW_SECONDS;
    }

    /** Average guilds per shard at this plan (what each shard will actually hold). */
    public double guildsPerShardActual() {
        return (double) guilds / shards;
    }

    public IntStream shardIds() {
        return IntStream.range(0, shards);
    }

    /** Shard id and count as shown in kubectl, e.g. {@code 3/8}. */
    public String label(int shardId) {
        checkShard(shardId);
        return shardId + "/" + shards;
    }

    private void checkShard(int shardId) {
        if (shardId < 0 || shardId >= shards) {
            throw new IndexOutOfBoundsException("shard " + shardId + " of " + shards);
        }
    }

    private static long ceilDiv(long a, long b) {
        // not floorDiv(a + b - 1, b): that overflows near Long.MAX_VALUE and plans a single shard
        return Math.ceilDiv(a, b);
    }

    private static int clamp(Integer v, int min, int max) {
        int x = v == null ? ShardingSpec.DEFAULT_GUILDS_PER_SHARD : v;
        return Math.max(min, Math.min(max, x));
    }

    /** An inclusive range of shard ids. */
    public record ShardRange(int first, int last) {
        public int size() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }
}
