package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Annotations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The control annotations users put on a ChopsticksCluster.
 *
 * <ul>
 *   <li>{@value Annotations#PAUSE_RECONCILE}{@code : "true"}: the operator does nothing for the cluster (no apply,
 *       no rolling restart, no respawn, no reshard); its status only says so.
 *   <li>{@value Annotations#RESTART_AT}{@code : <RFC 3339>}: once that time has passed, pods created before it get a
 *       rolling restart (identify-paced like an image change); each pod once, since its replacement is newer.
 * </ul>
 */
public final class ControlAnnotations {
    private ControlAnnotations() {}

    public static boolean reconcilePaused(ChopsticksCluster cluster) {
        return "true"
                .equalsIgnoreCase(annotations(cluster)
                        .getOrDefault(Annotations.PAUSE_RECONCILE, "")
                        .trim());
    }

    /** The restart-at time; empty when absent. */
    public static Optional<Instant> restartAt(ChopsticksCluster cluster) {
        return parseRestartAt(annotations(cluster).get(Annotations.RESTART_AT)).value();
    }

    /** The raw value is present but not an RFC 3339 time. */
    public static Optional<String> invalidRestartAt(ChopsticksCluster cluster) {
        String raw = annotations(cluster).get(Annotations.RESTART_AT);
        return parseRestartAt(raw).valid() ? Optional.empty() : Optional.of(raw);
    }

    record Parsed(Optional<Instant> value, boolean valid) {}

    static Parsed parseRestartAt(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Parsed(Optional.empty(), true);
        }
        try {
            return new Parsed(Optional.of(OffsetDateTime.parse(raw.trim()).toInstant()), true);
        } catch (DateTimeParseException e) {
            return new Parsed(Optional.empty(), false);
        }
    }

    private static Map<String, String> annotations(ChopsticksCluster cluster) {
        Map<String, String> a = cluster.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}
