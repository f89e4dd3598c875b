package dev.chopsticks.operator.validation;

import dev.chopsticks.operator.events.EventReason;

/**
 * Why a cluster cannot be reconciled as specified: the reason of the {@code Degraded} condition and of the Warning
 * Event. Messages name Secrets and keys but never contain their values.
 */
public record Problem(EventReason eventReason, String message) {

    public Problem(String reason, String message) {
        this(EventReason.of(reason), message);
    }

    /** The reason as written to the condition and the Event. */
    public String reason() {
        return eventReason.value();
    }
}
