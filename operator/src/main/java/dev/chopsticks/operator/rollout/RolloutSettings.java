package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.Durations;
import dev.chopsticks.api.v1alpha1.RolloutSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the planner is told besides the observed state: the spec's rollout knobs, Discord's max_concurrency, the
 * manual restart time and the identify budget.
 *
 * @param paused {@code rollout.paused}: no rolling-restart steps (respawns go on)
 * @param respawnDelay minimum time between the identify of one step and the identify of the next
 * @param maxRestartsPerHour respawns allowed per shard per hour
 * @param readyTimeout how long a restarted pod may take to have all its shards Ready before the rollout halts
 * @param heartbeatTimeout a Ready shard whose heartbeat is older than this is a zombie
 * @param maxConcurrency identify buckets (shard {@code s} is in bucket {@code s % maxConcurrency})
 * @param restartAt {@code chopsticks.dev/restart-at}: pods created before it get restarted once it has passed
 * @param identifyRemaining Discord's remaining session starts, when known (from the bots' reports)
 * @param identifyReserve session starts never spent on restarts (enough to start every shard once)
 * @param sessionHandOff {@code rollout.sessionHandOff}: restarted shards resume their sessions, so steps are not
 *     identify steps and wait for no identify window
 */
public record RolloutSettings(
        boolean paused,
        Duration respawnDelay,
        int maxRestartsPerHour,
        Duration readyTimeout,
        Duration heartbeatTimeout,
        int maxConcurrency,
        Optional<Instant> restartAt,
        OptionalInt identifyRemaining,
        int identifyReserve,
        boolean sessionHandOff) {

    public RolloutSettings {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be positive");
        }
    }

    public static RolloutSettings from(
            RolloutSpec spec,
            int maxConcurrency,
            Optional<Instant> restartAt,
            OptionalInt identifyRemaining,
            int identifyReserve) {
        RolloutSpec s = spec == null ? RolloutSpec.defaults() : spec;
        return new RolloutSettings(
                Boolean.TRUE.equals(s.paused()),
                Durations.parse(s.respawnDelay()),
                s.maxRestartsPerHour(),
                Durations.parse(s.readyTimeout()),
                Durations.parse(s.heartbeatTimeout()),
                maxConcurrency,
                restartAt,
                identifyRemaining,
                identifyReserve,
                Boolean.TRUE.equals(s.sessionHandOff()));
    }

    /** The spec's defaults (tests). */
    public static RolloutSettings defaults(int maxConcurrency) {
        return from(RolloutSpec.defaults(), maxConcurrency, Optional.empty(), OptionalInt.empty(), 0);
    }

    public RolloutSettings withPaused(boolean p) {
        return new RolloutSettings(
                p,
                respawnDelay,
                maxRestartsPerHour,
                readyTimeout,
                heartbeatTimeout,
                maxConcurrency,
                restartAt,
                identifyRemaining,
                identifyReserve,
                sessionHandOff);
    }

    public RolloutSettings withRestartAt(Instant at) {
        return new RolloutSettings(
                paused,
                respawnDelay,
                maxRestartsPerHour,
                readyTimeout,
                heartbeatTimeout,
                maxConcurrency,
                Optional.ofNullable(at),
                identifyRemaining,
                identifyReserve,
                sessionHandOff);
    }

    public RolloutSettings withIdentify(int remaining, int reserve) {
        return new RolloutSettings(
                paused,
                respawnDelay,
                maxRestartsPerHour,
                readyTimeout,
                heartbeatTimeout,
                maxConcurrency,
                restartAt,
                OptionalInt.of(remaining),
                reserve,
                sessionHandOff);
    }

    public RolloutSettings withMaxRestartsPerHour(int max) {
        return new RolloutSettings(
                paused,
                respawnDelay,
                max,
                readyTimeout,
                heartbeatTimeout,
                maxConcurrency,
                restartAt,
                identifyRemaining,
                identifyReserve,
                sessionHandOff);
    }

    public RolloutSettings withSessionHandOff(boolean handOff) {
        return new RolloutSettings(
                paused,
                respawnDelay,
                maxRestartsPerHour,
                readyTimeout,
                heartbeatTimeout,
                maxConcurrency,
                restartAt,
                identifyRemaining,
                identifyReserve,
                handOff);
    }
}
