package dev.chopsticks.bot.http;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.data.PoolStats;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Where the status document's parts come from; each supplier must be cheap and must not throw. */
public record StatusSources(
        Supplier<List<ShardStatus>> shards,
        Supplier<Map<String, CacheStats>> caches,
        Supplier<PoolStats> pool,
        Supplier<Map<String, String>> breakers,
        Supplier<Map<String, Boolean>> dependencies) {}
