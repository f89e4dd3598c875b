package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Rolling restarts and respawns, paced by Discord's identify limits. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutSpec(
        @Default("false") @JsonPropertyDescription("Stop rolling restarts (respawns of dead shards go on).")
        Boolean paused,

        @Default("5.5s")
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
                "Minimum delay between identify steps (discord.js's respawn delay is 5.5s; Discord's bucket window is 5s).")
        String respawnDelay,

        @Default("10")
        @Min(0)
        @Max(1000)
        @JsonPropertyDescription(
                "Respawns allowed per shard per hour before the shard is marked Failed instead of burning identifies.")
        Integer maxRestartsPerHour,

        @Default("5m")
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("How long a restarted shard may take to report Ready before the rollout halts.")
        String readyTimeout,

        @Default("90s")
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("A Ready shard whose lastHeartbeat is older than this is a zombie and is respawned.")
        String heartbeatTimeout) {

    public RolloutSpec {
        paused = paused == null ? Boolean.FALSE : paused;
        respawnDelay = respawnDelay == null ? "5.5s" : respawnDelay;
        maxRestartsPerHour = maxRestartsPerHour == null ? 10 : maxRestartsPerHour;
        readyTimeout = readyTimeout == null ? "5m" : readyTimeout;
        heartbeatTimeout = heartbeatTimeout == null ? "90s" : heartbeatTimeout;
    }

    public static RolloutSpec defaults() {
        return new RolloutSpec(null, null, null, null, null);
    }
}
