package dev.chopsticks.bot.http;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.data.PoolStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Where a shard process's status document comes from; each supplier must be cheap and must not throw. */
public record StatusSources(
        Supplier<List<ShardStatus>> shards,
        Supplier<Map<String, CacheStats>> caches,
        Supplier<PoolStats> pool,
        Supplier<Map<String, String>> breakers,
        Supplier<Map<String, Boolean>> dependencies) {

    /** The document's parts in the order they are shown. */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("shards", shards.get());
        Map<String, Object> cacheDocs = new LinkedHashMap<>();
        for (Map.Entry<String, CacheStats> e : caches.get().entrySet()) {
            CacheStats s = e.getValue();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("l1Size", s.l1Size());
            c.put("l1HitRate", round(s.l1HitRate()));
            c.put("l2HitRate", round(s.l2HitRate()));
            c.put("stats", s);
            cacheDocs.put(e.getKey(), c);
        }
        doc.put("caches", cacheDocs);
        doc.put("pool", pool.get());
        doc.put("breakers", breakers.get());
        doc.put("dependencies", dependencies.get());
        return doc;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
