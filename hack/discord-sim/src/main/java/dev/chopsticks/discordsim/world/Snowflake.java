package dev.chopsticks.discordsim.world;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Discord snowflakes: 42 bits of milliseconds since the Discord epoch, 5 worker bits, 5 process bits and a
 * 12-bit increment. World entities get deterministic ids; runtime entities come from {@link #next()}.
 */
public final class Snowflake {
    public static final long DISCORD_EPOCH_MS = 1_420_070_400_000L;
    private static final AtomicLong LAST = new AtomicLong();

    private Snowflake() {}

    public static long of(long msSinceDiscordEpoch, int worker, int process, int increment) {
        return (msSinceDiscordEpoch << 22)
                | ((long) (worker & 31) << 17)
                | ((long) (process & 31) << 12)
                | (increment & 4095);
    }

    public static Instant timestamp(long snowflake) {
        return Instant.ofEpochMilli((snowflake >>> 22) + DISCORD_EPOCH_MS);
    }

    /** A fresh, strictly increasing id stamped with the current time (worker 31 marks runtime ids). */
    public static long next() {
        long base = of(System.currentTimeMillis() - DISCORD_EPOCH_MS, 31, 0, 0);
        return LAST.updateAndGet(prev -> Math.max(prev + 1, base));
    }
}
