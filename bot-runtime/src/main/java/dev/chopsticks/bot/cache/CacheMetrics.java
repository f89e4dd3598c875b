package dev.chopsticks.bot.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Hit/miss per layer and database loads for one cache, as Micrometer meters (also read back for /stats). */
public final class CacheMetrics {
    private final Counter l1Hit;
    private final Counter l1Miss;
    private final Counter l2Hit;
    private final Counter l2Miss;
    private final Counter l2Error;
    private final Timer dbLoadOk;
    private final Timer dbLoadFailed;

    public CacheMetrics(MeterRegistry registry, String cache) {
        l1Hit = requests(registry, cache, "l1", "hit");
        l1Miss = requests(registry, cache, "l1", "miss");
        l2Hit = requests(registry, cache, "l2", "hit");
        l2Miss = requests(registry, cache, "l2", "miss");
        l2Error = requests(registry, cache, "l2", "error");
        dbLoadOk = loads(registry, cache, "success");
        dbLoadFailed = loads(registry, cache, "failure");
    }

    private static Counter requests(MeterRegistry registry, String cache, String layer, String result) {
        return Counter.builder("chopsticks.cache.requests")
                .description("Cache lookups per layer and result")
                .tags("cache", cache, "layer", layer, "result", result)
                .register(registry);
    }

    private static Timer loads(MeterRegistry registry, String cache, String result) {
        return Timer.builder("chopsticks.cache.load")
                .description("Loads from PostgreSQL after both cache layers missed")
                .tags("cache", cache, "result", result)
                .register(registry);
    }

    void l1Hit() {
        l1Hit.increment();
    }

    void l1Miss() {
        l1Miss.increment();
    }

    void l2Hit() {
        l2Hit.increment();
    }

    void l2Miss() {
        l2Miss.increment();
    }

    void l2Error() {
        l2Error.increment();
    }

    void dbLoad(long nanos, boolean ok) {
        (ok ? dbLoadOk : dbLoadFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    public CacheStats snapshot(long l1Size) {
        return new CacheStats(
                l1Size,
                (long) l1Hit.count(),
                (long) l1Miss.count(),
                (long) l2Hit.count(),
                (long) l2Miss.count(),
                (long) l2Error.count(),
                dbLoadOk.count(),
                dbLoadFailed.count());
    }
}
