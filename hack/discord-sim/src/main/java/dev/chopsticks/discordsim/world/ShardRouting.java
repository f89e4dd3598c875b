package dev.chopsticks.discordsim.world;

/** Discord's documented routing formula: {@code shard_id = (guild_id >> 22) % num_shards}. */
public final class ShardRouting {
    private ShardRouting() {}

    public static int shardFor(long guildId, int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be >= 1");
        }
        return (int) Long.remainderUnsigned(guildId >>> 22, shardCount);
    }
}
