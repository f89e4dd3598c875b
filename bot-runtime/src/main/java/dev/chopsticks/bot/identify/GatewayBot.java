package dev.chopsticks.bot.identify;

/** The answer of {@code GET /gateway/bot}: gateway URL, recommended shard count and the identify limits. */
public record GatewayBot(String url, int shards, SessionStartLimit sessionStartLimit) {}
