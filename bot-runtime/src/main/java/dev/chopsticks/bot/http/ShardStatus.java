package dev.chopsticks.bot.http;

/** One gateway shard as shown in the status endpoint; part 2 (gateway wiring) supplies these. */
public record ShardStatus(int id, String status, long gatewayPingMs, long guilds) {}
