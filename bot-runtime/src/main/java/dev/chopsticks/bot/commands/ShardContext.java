package dev.chopsticks.bot.commands;

/** What a handler may ask about the shard that received the interaction. */
public interface ShardContext {
    int shardId();

    int shardCount();

    /** Last gateway heartbeat round trip, -1 if unknown. */
    long gatewayPingMs();

    /** Measures one REST round trip (blocking), -1 if it failed. */
    long restPingMs();
}
