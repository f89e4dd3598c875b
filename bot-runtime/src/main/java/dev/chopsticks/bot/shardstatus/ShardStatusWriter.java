package dev.chopsticks.bot.shardstatus;

/** Where shard reports go: the Shard objects' status subresource, or nowhere (outside Kubernetes). */
public interface ShardStatusWriter extends AutoCloseable {
    ShardStatusWriter NONE = (shardId, report) -> {};

    void write(int shardId, ShardReport report) throws Exception;

    @Override
    default void close() {}
}
