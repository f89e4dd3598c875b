package dev.chopsticks.bot.identify;

import java.time.Duration;

/**
 * One IDENTIFY per {@code max_concurrency} bucket at a time, across every process sharing the gate. A lease is an
 * expiry time: while it has not passed, no other shard of the bucket may identify. Its holder extends it while the
 * identify is in flight and, once sent, sets it to expire one identify window later; a holder that dies simply lets
 * it expire.
 */
public interface IdentifyGate extends AutoCloseable {

    /** Blocks until this shard may identify in its bucket; returns the held lease. */
    Lease acquire(int bucket, int shardId) throws InterruptedException;

    /** A held bucket lease. */
    interface Lease {
        /** The lease now expires {@code from now + hold} (only if still ours). */
        void extend(Duration hold);

        /** Frees the bucket at once: only when no IDENTIFY was sent under this lease. */
        void release();
    }

    @Override
    default void close() {}
}
