package dev.chopsticks.bot.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.data.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The status JSON, rebuilt at most once per refresh interval and otherwise served as ready-made bytes, so the admin
 * endpoint costs about as much as /health under load.
 */
public final class CachedStatus {
    private final StatusSources sources;
    private final long refreshNanos;
    private final LongSupplier clock;
    private final long startedNanos;
    private volatile byte[] body;
    private volatile long builtAt;

    public CachedStatus(StatusSources sources, Duration refresh) {
        this(sources, refresh, System::nanoTime);
    }

    CachedStatus(StatusSources sources, Duration refresh, LongSupplier clock) {
        this.sources = sources;
        this.refreshNanos = refresh.toNanos();
        this.clock = clock;
        this.startedNanos = clock.getAsLong();
        this.body = build();
        this.builtAt = clock.getAsLong();
    }

    public byte[] json() {
        long now = clock.getAsLong();
        if (now - builtAt >= refreshNanos) {
            refresh(now);
        }
        return body;
    }

    /** One thread rebuilds; the others keep serving the previous document meanwhile. */
    private synchronized void refresh(long now) {
        if (now - builtAt < refreshNanos) {
            return;
        }
        body = build();
        builtAt = clock.getAsLong();
    }

    private byte[] build() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("uptimeSeconds", (clock.getAsLong() - startedNanos) / 1_000_000_000L);
        doc.put("shards", sources.shards().get());
        Map<String, Object> caches = new LinkedHashMap<>();
        for (Map.Entry<String, CacheStats> e : sources.caches().get().entrySet()) {
            CacheStats s = e.getValue();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("l1Size", s.l1Size());
            c.put("l1HitRate", round(s.l1HitRate()));
            c.put("l2HitRate", round(s.l2HitRate()));
            c.put("stats", s);
            caches.put(e.getKey(), c);
        }
        doc.put("caches", caches);
        doc.put("pool", sources.pool().get());
        doc.put("breakers", sources.breakers().get());
        doc.put("dependencies", sources.dependencies().get());
        try {
            return Json.MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status not serialisable", e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
