package dev.chopsticks.podrunner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces process starts at least {@code spacing} apart across all Pods of the runner (zero: no spacing). One machine
 * stands in for many nodes; a burst of JVM starts (a 15-pod StatefulSet created at once) would otherwise saturate
 * it and slow the pods that already serve, which on a cluster run on other nodes.
 */
final class StartPacer {
    private final Duration spacing;
    private final Clock clock;
    private Instant next = Instant.MIN;

    StartPacer(Duration spacing, Clock clock) {
        this.spacing = spacing;
        this.clock = clock;
    }

    /** Reserves the earliest free start time (now or later) and returns it. */
    synchronized Instant reserve() {
        Instant now = clock.instant();
        Instant slot = next.isAfter(now) ? next : now;
        next = slot.plus(spacing);
        return slot;
    }

    boolean enabled() {
        return !spacing.isZero();
    }
}
