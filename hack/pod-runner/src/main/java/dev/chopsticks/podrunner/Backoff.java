package dev.chopsticks.podrunner;

import java.time.Duration;

/** The kubelet's restart back-off: doubling from the initial delay up to the max, reset after a long enough run. */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay before the next attempt, given how long the last one ran. */
    Duration next(Duration ranFor) {
        if (ranFor.compareTo(max.multipliedBy(2)) >= 0) {
            next = initial;
        }
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }
}
