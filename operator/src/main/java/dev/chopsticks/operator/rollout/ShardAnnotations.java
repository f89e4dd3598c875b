package dev.chopsticks.operator.rollout;

import dev.chopsticks.operator.common.Annotations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The operator's restart records on a Shard's annotations: written (JSON merge patch) before the pod is deleted,
 * read back into {@link ShardState}. Unparsable values read as absent.
 */
public final class ShardAnnotations {
    /** How long respawn times are kept (the cap looks back one hour). */
    static final Duration KEEP = Duration.ofHours(1);

    public static final String RESTARTED_AT = Annotations.RESTARTED_AT;
    public static final String RESPAWNED_AT = Annotations.RESPAWNED_AT;
    public static final String RESPAWN_COUNT = Annotations.RESPAWN_COUNT;

    private ShardAnnotations() {}

    public static Instant restartedAt(Map<String, String> annotations) {
        return instant(annotations == null ? null : annotations.get(RESTARTED_AT));
    }

    public static List<Instant> respawnedAt(Map<String, String> annotations) {
        String v = annotations == null ? null : annotations.get(RESPAWNED_AT);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .map(ShardAnnotations::instant)
                .filter(Objects::nonNull)
                .sorted()
                .toList();
    }

    public static int respawnCount(Map<String, String> annotations) {
        String v = annotations == null ? null : annotations.get(RESPAWN_COUNT);
        try {
            return v == null ? 0 : Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The annotations to merge for a rollout step. */
    public static Map<String, String> forRolloutRestart(Instant now) {
        return Map.of(RESTARTED_AT, format(now));
    }

    /** The annotations to merge for a respawn: this one appended to those of the last hour, the count plus one. */
    public static Map<String, String> forRespawn(ShardState shard, Instant now) {
        List<Instant> kept = new ArrayList<>(shard.respawnedAt().stream()
                .filter(t -> t.isAfter(now.minus(KEEP)))
                .toList());
        kept.add(now);
        Map<String, String> out = new LinkedHashMap<>();
        out.put(RESPAWNED_AT, kept.stream().map(ShardAnnotations::format).collect(Collectors.joining(",")));
        out.put(RESPAWN_COUNT, Integer.toString(shard.respawnCount() + 1));
        return out;
    }

    public static String format(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static Instant instant(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
