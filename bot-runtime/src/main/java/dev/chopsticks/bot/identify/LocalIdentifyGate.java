package dev.chopsticks.bot.identify;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** In-process pacing (no Redis): enough for one process, unsafe across pods. */
public final class LocalIdentifyGate implements IdentifyGate {
    private final Duration initialLease;
    private final Map<Integer, Slot> buckets = new HashMap<>();

    private static final class Slot {
        long expiresAtNanos = Long.MIN_VALUE;
        Object owner;
    }

    /** @param initialLease how long an acquired lease lasts unless extended (covers the identify in flight) */
    public LocalIdentifyGate(Duration initialLease) {
        this.initialLease = initialLease;
    }

    @Override
    public synchronized Lease acquire(int bucket, int shardId) throws InterruptedException {
        Slot slot = buckets.computeIfAbsent(bucket, b -> new Slot());
        while (true) {
            long now = System.nanoTime();
            long left = slot.owner == null ? 0 : slot.expiresAtNanos - now;
            if (left <= 0) {
                Object owner = new Object();
                slot.owner = owner;
                slot.expiresAtNanos = now + initialLease.toNanos();
                return new LocalLease(slot, owner);
            }
            // wait() releases the monitor, so other buckets (and extend/release) proceed meanwhile.
            long ms = Math.max(1, left / 1_000_000);
            wait(ms);
        }
    }

    private final class LocalLease implements Lease {
        private final Slot slot;
        private final Object owner;

        LocalLease(Slot slot, Object owner) {
            this.slot = slot;
            this.owner = owner;
        }

        @Override
        public void extend(Duration hold) {
            synchronized (LocalIdentifyGate.this) {
                if (slot.owner == owner) {
                    slot.expiresAtNanos = System.nanoTime() + hold.toNanos();
                    LocalIdentifyGate.this.notifyAll();
                }
            }
        }

        @Override
        public void release() {
            synchronized (LocalIdentifyGate.this) {
                if (slot.owner == owner) {
                    slot.owner = null;
                    LocalIdentifyGate.this.notifyAll();
                }
            }
        }
    }
}
