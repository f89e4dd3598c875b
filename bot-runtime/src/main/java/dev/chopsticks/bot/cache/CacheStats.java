package dev.chopsticks.bot.cache;

/** Counters of one layered cache since start. */
public record CacheStats(
        long l1Size,
        long l1Hits,
        long l1Misses,
        long l2Hits,
        long l2Misses,
        long l2Errors,
        long dbLoads,
        long dbLoadFailures) {

    public double l1HitRate() {
        return rate(l1Hits, l1Misses);
    }

    /** Hits among the lookups that reached Redis (errors count as misses). */
    public double l2HitRate() {
        return rate(l2Hits, l2Misses + l2Errors);
    }

    private static double rate(long hits, long misses) {
        long total = hits + misses;
        return total == 0 ? 0.0 : (double) hits / total;
    }
}
