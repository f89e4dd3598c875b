package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Rolling restarts and respawns, paced by Discord's identify limits. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "!has(self.respawnDelay) || (self.respawnDelay.matches('" + Durations.PATTERN + "')"
                + " && duration(self.respawnDelay) >= duration('" + SchemaLimits.MIN_RESPAWN_DELAY + "')"
                + " && duration(self.respawnDelay) <= duration('1h'))",
        message = "rollout.respawnDelay must be a duration from 100ms to 1h, e.g. 5.5s (the bots' identify queue keeps"
                + " Discord's 5 s per bucket; this spaces the steps)",
        fieldPath = ".respawnDelay",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.readyTimeout) || (self.readyTimeout.matches('" + Durations.PATTERN + "')"
                + " && duration(self.readyTimeout) >= duration('" + SchemaLimits.MIN_READY_TIMEOUT + "')"
                + " && duration(self.readyTimeout) <= duration('24h'))",
        message = "rollout.readyTimeout must be a duration from 5s to 24h, e.g. 5m: a restarted shard needs at least"
                + " one identify window (5 s) to become Ready",
        fieldPath = ".readyTimeout",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.heartbeatTimeout) || (self.heartbeatTimeout.matches('" + Durations.PATTERN + "')"
                + " && duration(self.heartbeatTimeout) >= duration('" + SchemaLimits.MIN_HEARTBEAT_TIMEOUT + "')"
                + " && duration(self.heartbeatTimeout) <= duration('24h'))",
        message = "rollout.heartbeatTimeout must be a duration from 82.5s to 24h, e.g. 90s: below two of Discord's"
                + " 41.25 s heartbeat intervals healthy shards would be respawned",
        fieldPath = ".heartbeatTimeout",
        reason = "FieldValueForbidden")
public record RolloutSpec(
        @Default("false") @JsonPropertyDescription("Stop rolling restarts (respawns of dead shards go on).")
        Boolean paused,

        @Default("5.5s")
        @Size(max = Durations.MAX_LENGTH)
        @JsonPropertyDescription(
                "Minimum delay between identify steps, 100ms to 1h (discord.js's respawn delay is 5.5s; Discord's bucket window is 5s, which the bots' identify queue enforces).")
        String respawnDelay,

        @Default("10")
        @Min(0)
        @Max(1000)
        @JsonPropertyDescription(
                "Respawns allowed per shard per hour before the shard is marked Failed instead of burning identifies.")
        Integer maxRestartsPerHour,

        @Default("5m")
        @Size(max = Durations.MAX_LENGTH)
        @JsonPropertyDescription(
                "How long a restarted shard may take to report Ready before the rollout halts; 5s (one identify window) to 24h.")
        String readyTimeout,

        @Default("90s")
        @Size(max = Durations.MAX_LENGTH)
        @JsonPropertyDescription(
                "A Ready shard whose lastHeartbeat is older than this is a zombie and is respawned; 82.5s (two of Discord's heartbeat intervals) to 24h.")
        String heartbeatTimeout,

        @Default("false")
        @JsonPropertyDescription(
                "Shard pods hand their Discord sessions to their replacements: the new process RESUMEs instead of"
                        + " identifying (no session start, no identify window, the events sent meanwhile replayed)."
                        + " Steps are then not paced by identify windows: up to a quarter of the pods restart at"
                        + " once. A RESUME Discord refuses falls back to an identify through the bots' queue.")
        Boolean sessionHandOff) {

    public RolloutSpec {
        paused = paused == null ? Boolean.FALSE : paused;
        respawnDelay = respawnDelay == null ? "5.5s" : respawnDelay;
        maxRestartsPerHour = maxRestartsPerHour == null ? 10 : maxRestartsPerHour;
        readyTimeout = readyTimeout == null ? "5m" : readyTimeout;
        heartbeatTimeout = heartbeatTimeout == null ? "90s" : heartbeatTimeout;
        sessionHandOff = sessionHandOff == null ? Boolean.FALSE : sessionHandOff;
    }

    public static RolloutSpec defaults() {
        return new RolloutSpec(null, null, null, null, null, null);
    }
}
