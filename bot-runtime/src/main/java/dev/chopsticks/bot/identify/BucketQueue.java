package dev.chopsticks.bot.identify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.dv8tion.jda.api.utils.SessionController.SessionConnectNode;

/** The connect nodes of one bucket in this process: lowest shard id first, refused nodes held back until their retry time. */
final class BucketQueue {
    record Entry(SessionConnectNode node, long notBeforeNanos, long queuedAtNanos) {
        int shardId() {
            return node.getShardInfo().getShardId();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Entry> entries = new ArrayList<>();

    void add(Entry entry) {
        lock.lock();
        try {
            entries.removeIf(e -> e.node().equals(entry.node()));
            entries.add(entry);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void remove(SessionConnectNode node) {
        lock.lock();
        try {
            entries.removeIf(e -> e.node().equals(node));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until an entry is due; removes and returns the due entry with the lowest shard id. */
    Entry take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                Entry best = null;
                long nextDue = Long.MAX_VALUE;
                for (Entry e : entries) {
                    long wait = e.notBeforeNanos() - now;
                    if (wait <= 0) {
                        if (best == null || e.shardId() < best.shardId()) {
                            best = e;
                        }
                    } else {
                        nextDue = Math.min(nextDue, wait);
                    }
                }
                if (best != null) {
                    entries.remove(best);
                    return best;
                }
                if (nextDue == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.await(nextDue, TimeUnit.NANOSECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
