package dev.chopsticks.discordsim.identify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Enforces Discord's identify rule: shards share a bucket {@code shard_id % max_concurrency}, and each bucket
 * accepts one IDENTIFY per window (5 s on Discord). Breaking it is recorded as a violation.
 */
public final class IdentifyGate {
    private static final int HISTORY = 100_000;

    private record Attempt(int bucket, long atMs) {}

    private final LongSupplier clockMs;
    private int maxConcurrency;
    private long windowMs;
    private final Map<Integer, Long> lastAccepted = new HashMap<>();
    private final Map<Integer, Long> acceptedPerBucket = new TreeMap<>();
    private final Deque<Attempt> attempts = new ArrayDeque<>();
    private final List<IdentifyViolation> violations = new ArrayList<>();

    public IdentifyGate(int maxConcurrency, long windowMs, LongSupplier clockMs) {
        this.clockMs = clockMs;
        configure(maxConcurrency, windowMs);
    }

    /** Records an identify attempt; returns the violation when the bucket already identified this window. */
    public synchronized Optional<IdentifyViolation> attempt(int shardId, int shardCount) {
        long now = clockMs.getAsLong();
        int bucket = shardId % maxConcurrency;
        attempts.addLast(new Attempt(bucket, now));
        if (attempts.size() > HISTORY) {
            attempts.removeFirst();
        }
        Long last = lastAccepted.get(bucket);
        if (last != null && now - last < windowMs) {
            IdentifyViolation violation = new IdentifyViolation(shardId, shardCount, bucket, now, now - last);
            violations.add(violation);
            return Optional.of(violation);
        }
        lastAccepted.put(bucket, now);
        acceptedPerBucket.merge(bucket, 1L, Long::sum);
        return Optional.empty();
    }

    /** Changing the rule starts fresh buckets: old timestamps belong to the old bucket layout. */
    public synchronized void configure(int newMaxConcurrency, long newWindowMs) {
        if (newMaxConcurrency < 1 || newWindowMs < 0) {
            throw new IllegalArgumentException("max_concurrency >= 1 and window >= 0 are required");
        }
        maxConcurrency = newMaxConcurrency;
        windowMs = newWindowMs;
        lastAccepted.clear();
    }

    public synchronized int maxConcurrency() {
        return maxConcurrency;
    }

    public synchronized long windowMs() {
        return windowMs;
    }

    public synchronized void reset() {
        lastAccepted.clear();
        acceptedPerBucket.clear();
        attempts.clear();
        violations.clear();
    }

    public synchronized IdentifyStats stats() {
        Map<Integer, Integer> maxPerWindow = new TreeMap<>();
        Map<Integer, Deque<Long>> windows = new HashMap<>();
        for (Attempt a : attempts) {
            Deque<Long> w = windows.computeIfAbsent(a.bucket(), k -> new ArrayDeque<>());
            w.addLast(a.atMs());
            while (a.atMs() - w.peekFirst() >= Math.max(1, windowMs)) {
                w.removeFirst();
            }
            maxPerWindow.merge(a.bucket(), w.size(), Math::max);
        }
        return new IdentifyStats(
                maxConcurrency, windowMs, new TreeMap<>(acceptedPerBucket), maxPerWindow, List.copyOf(violations));
    }
}
