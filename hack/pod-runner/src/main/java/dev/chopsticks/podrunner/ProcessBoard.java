package dev.chopsticks.podrunner;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** The latest {@link ProcessInfo} per Pod name, with waiting for a condition on it (no polling). */
final class ProcessBoard {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, ProcessInfo> byName = new TreeMap<>();

    void put(ProcessInfo info) {
        lock.lock();
        try {
            byName.put(info.pod().name(), info);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the entry of that incarnation (a newer incarnation's entry stays). */
    void remove(PodId pod) {
        lock.lock();
        try {
            ProcessInfo info = byName.get(pod.name());
            if (info != null && info.pod().equals(pod)) {
                byName.remove(pod.name());
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    Map<String, ProcessInfo> snapshot() {
        lock.lock();
        try {
            return Map.copyOf(byName);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the entry for {@code name} (possibly absent: empty) satisfies {@code condition}. */
    Optional<ProcessInfo> await(String name, Predicate<Optional<ProcessInfo>> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Optional<ProcessInfo> info = Optional.ofNullable(byName.get(name));
                if (condition.test(info)) {
                    return info;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("timed out after " + timeout + " waiting on pod " + name + "; now: "
                            + info.map(Object::toString).orElse("no process"));
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }
}
