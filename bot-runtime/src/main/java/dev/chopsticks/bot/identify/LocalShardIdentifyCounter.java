package dev.chopsticks.bot.identify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The per-shard cap within this process only (no Redis): it does not survive a restart, so a crash loop is not capped. */
public final class LocalShardIdentifyCounter implements ShardIdentifyCounter {
    private final int cap;
    private final Duration window;
    private final Map<Integer, long[]> counts = new HashMap<>();

    public LocalShardIdentifyCounter(int cap, Duration window) {
        this.cap = cap;
        this.window = window;
    }

    @Override
    public synchronized Result tryCount(int shardId) {
        long now = System.nanoTime();
        long[] c = counts.get(shardId);
        if (c == null || now - c[1] >= window.toNanos()) {
            c = new long[] {0, now};
            counts.put(shardId, c);
        }
        if (c[0] >= cap) {
            return new Result(false, c[0], Duration.ofNanos(c[1] + window.toNanos() - now));
        }
        c[0]++;
        return new Result(true, c[0], Duration.ZERO);
    }
}
