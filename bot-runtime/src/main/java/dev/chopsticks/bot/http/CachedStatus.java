package dev.chopsticks.bot.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.chopsticks.bot.data.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The status JSON, rebuilt at most once per refresh interval and otherwise served as ready-made bytes, so the admin
 * endpoint costs about as much as /health under load. The document's parts come from the process: the shards'
 * {@link StatusSources}, or the dashboard's cluster overview.
 */
public final class CachedStatus {
    private final Supplier<Map<String, Object>> parts;
    private final long refreshNanos;
    private final LongSupplier clock;
    private final long startedNanos;
    private volatile byte[] body;
    private volatile long builtAt;

    public CachedStatus(StatusSources sources, Duration refresh) {
        this(sources::document, refresh, System::nanoTime);
    }

    /** A document of {@code parts} (each call must be cheap and must not throw), after {@code uptimeSeconds}. */
    public CachedStatus(Supplier<Map<String, Object>> parts, Duration refresh) {
        this(parts, refresh, System::nanoTime);
    }

    CachedStatus(StatusSources sources, Duration refresh, LongSupplier clock) {
        this(sources::document, refresh, clock);
    }

    private CachedStatus(Supplier<Map<String, Object>> parts, Duration refresh, LongSupplier clock) {
        this.parts = parts;
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
        doc.putAll(parts.get());
        try {
            return Json.MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status not serialisable", e);
        }
    }
}
