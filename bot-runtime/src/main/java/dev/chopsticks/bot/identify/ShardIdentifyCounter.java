package dev.chopsticks.bot.identify;

import java.time.Duration;

/** Counts IDENTIFYs per shard in a fixed window (an hour) and refuses beyond a cap. */
public interface ShardIdentifyCounter {

    /** Counts one identify of the shard if under the cap; otherwise returns how long until the window ends. */
    Result tryCount(int shardId);

    /** @param count identifies in the current window including this one; {@code retryAfter} set when refused */
    record Result(boolean allowed, long count, Duration retryAfter) {}
}
