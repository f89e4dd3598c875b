package dev.chopsticks.discordsim.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed-window limits like Discord's: a global requests-per-second cap per bot token, and a per-route
 * bucket keyed by the route template and its major parameter (channel, guild, webhook or interaction).
 */
public final class RateLimiter {
    /** The outcome of one request against the limits; {@code bucket} is the route bucket hash. */
    public record Decision(
            boolean allowed,
            boolean global,
            int limit,
            int remaining,
            long resetAtMs,
            long resetAfterMs,
            String bucket) {}

    private static final class Window {
        long startMs;
        int count;
    }

    private final LongSupplier clockMs;
    private volatile int globalPerSecond;
    private volatile int routeLimit;
    private volatile long routeWindowMs;
    private final Map<String, Window> global = new ConcurrentHashMap<>();
    private final Map<String, Window> routes = new ConcurrentHashMap<>();

    public RateLimiter(int globalPerSecond, int routeLimit, long routeWindowMs, LongSupplier clockMs) {
        this.globalPerSecond = globalPerSecond;
        this.routeLimit = routeLimit;
        this.routeWindowMs = routeWindowMs;
        this.clockMs = clockMs;
    }

    public void configure(int newGlobalPerSecond, int newRouteLimit, long newRouteWindowMs) {
        globalPerSecond = newGlobalPerSecond;
        routeLimit = newRouteLimit;
        routeWindowMs = newRouteWindowMs;
    }

    /**
     * Counts one request. {@code token} is null for routes outside the global limit (interaction
     * callbacks and webhook-token routes are exempt on Discord).
     */
    public Decision check(String token, String bucket, String major) {
        long now = clockMs.getAsLong();
        if (token != null) {
            Window g = global.computeIfAbsent(token, k -> new Window());
            synchronized (g) {
                roll(g, now, 1_000);
                if (g.count >= globalPerSecond) {
                    long resetAt = g.startMs + 1_000;
                    return new Decision(false, true, globalPerSecond, 0, resetAt, resetAt - now, bucket);
                }
                g.count++;
            }
        }
        long windowMs = routeWindowMs;
        int limit = routeLimit;
        Window r = routes.computeIfAbsent(bucket + ":" + major, k -> new Window());
        synchronized (r) {
            roll(r, now, windowMs);
            long resetAt = r.startMs + windowMs;
            if (r.count >= limit) {
                return new Decision(false, false, limit, 0, resetAt, resetAt - now, bucket);
            }
            r.count++;
            return new Decision(true, false, limit, limit - r.count, resetAt, resetAt - now, bucket);
        }
    }

    private static void roll(Window w, long now, long windowMs) {
        if (w.count == 0 || now - w.startMs >= windowMs) {
            w.startMs = now;
            w.count = 0;
        }
    }

    /** Drops windows that have expired, so per-interaction buckets do not pile up. */
    public void purge() {
        long now = clockMs.getAsLong();
        long windowMs = Math.max(routeWindowMs, 1_000);
        routes.values().removeIf(w -> now - w.startMs > windowMs);
        global.values().removeIf(w -> now - w.startMs > 1_000);
    }
}
