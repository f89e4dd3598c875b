package dev.chopsticks.bot.dashboard;

import dev.chopsticks.bot.config.PodIdentity;
import dev.chopsticks.bot.data.PoolStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The dashboard's status document: where it runs, how its dependencies are, and the cluster overview. {@code state}
 * is {@code ok}, {@code degraded} (Redis configured but unreachable, or the overview stale) or {@code unavailable}
 * (PostgreSQL unreachable: nothing current to show).
 */
record DashboardStatus(
        PodIdentity identity,
        BooleanSupplier database,
        Optional<BooleanSupplier> redis,
        OverviewRefresher overview,
        Supplier<PoolStats> pool,
        Supplier<Map<String, String>> breakers) {

    Map<String, Object> document() {
        boolean databaseUp = database.getAsBoolean();
        Optional<Boolean> redisUp = redis.map(BooleanSupplier::getAsBoolean);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("role", "dashboard");
        doc.put("cluster", identity.cluster().orElse(null));
        doc.put("namespace", identity.namespace().orElse(null));
        doc.put("pod", identity.pod().orElse(null));
        doc.put("state", state(databaseUp, redisUp.orElse(true), overview.stale()));
        Map<String, Boolean> dependencies = new LinkedHashMap<>();
        dependencies.put("database", databaseUp);
        redisUp.ifPresent(up -> dependencies.put("redis", up));
        doc.put("dependencies", dependencies);
        doc.put("overview", overview.last().orElse(null));
        doc.put("overviewStale", overview.stale());
        doc.put("pool", pool.get());
        doc.put("breakers", breakers.get());
        return doc;
    }

    static String state(boolean databaseUp, boolean redisUp, boolean stale) {
        if (!databaseUp) {
            return "unavailable";
        }
        return redisUp && !stale ? "ok" : "degraded";
    }
}
