package dev.chopsticks.bot.http;

/** One gateway shard as shown in the status endpoint; BotApplication reads them from the ShardManager. */
public record ShardStatus(int id, String status, long gatewayPingMs, long guilds) {}
