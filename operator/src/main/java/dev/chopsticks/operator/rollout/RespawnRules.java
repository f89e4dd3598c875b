package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * When a shard's pod needs a respawn, and when the operator refuses one.
 *
 * <ul>
 *   <li><b>Crash loop</b>: the pod Failed, or its container is in CrashLoopBackOff / terminated (the kubelet's state
 *       for a container whose restartCount keeps rising).
 *   <li><b>Zombie</b>: the pod is Running and not dead, a shard reports Ready, and its last heartbeat (else its
 *       session start; never earlier than the pod's creation, so a new pod gets a full heartbeatTimeout, nor than
 *       the start of the operator's unbroken observation, so time the API server was unreachable for bot and
 *       operator alike counts for nothing) is older than {@code heartbeatTimeout}.
 *   <li><b>Cap</b>: a shard already respawned {@code maxRestartsPerHour} times in the last hour is not respawned
 *       again; it is marked {@code Respawn=False/RestartCapReached} until the oldest of those respawns is an hour old.
 * </ul>
 */
final class RespawnRules {
    private RespawnRules() {}

    record Diagnosis(RestartReason reason, String detail) {}

    /** Why this pod needs a respawn, if it does; adds when a heartbeat will go stale to {@code wakeups}. */
    static Optional<Diagnosis> diagnose(
            PodState pod,
            List<ShardState> shards,
            RolloutSettings settings,
            Instant now,
            Instant observingSince,
            List<Instant> wakeups) {
        if (pod.terminating()) {
            return Optional.empty();
        }
        if (pod.isDead()) {
            return Optional.of(new Diagnosis(RestartReason.CRASH_LOOP, "pod " + pod.name() + " is " + pod.dead()));
        }
        if (!pod.running()) {
            return Optional.empty();
        }
        for (ShardState shard : shards) {
            if (shard.phase() != ShardPhase.Ready) {
                continue;
            }
            Instant seen = shard.lastHeartbeat() != null ? shard.lastHeartbeat() : shard.sessionStartedAt();
            Instant reference = latest(latest(seen, pod.createdAt()), observingSince);
            Instant staleAt = reference.plus(settings.heartbeatTimeout());
            if (!now.isBefore(staleAt)) {
                return Optional.of(new Diagnosis(
                        RestartReason.ZOMBIE,
                        "shard " + shard.id() + " reports Ready but its last "
                                + "heartbeat (" + (seen == null ? "none" : stamp(seen))
                                + ") is older than heartbeatTimeout "
                                + settings.heartbeatTimeout().toSeconds() + "s"));
            }
            wakeups.add(staleAt);
        }
        return Optional.empty();
    }

    /**
     * When the cap stops applying to these shards, if it applies now: {@link Instant#MAX} for never
     * ({@code maxRestartsPerHour: 0}).
     */
    static Optional<Instant> capUntil(List<ShardState> shards, RolloutSettings settings, Instant now) {
        int max = settings.maxRestartsPerHour();
        Optional<Instant> until = Optional.empty();
        for (ShardState s : shards) {
            List<Instant> hour = s.respawnsWithinHour(now);
            if (hour.size() < max) {
                continue;
            }
            // below the cap again once the (count - max + 1) oldest of these are over an hour old
            Instant free = max == 0 ? Instant.MAX : hour.get(hour.size() - max).plus(Duration.ofHours(1));
            until = Optional.of(until.filter(u -> u.isAfter(free)).orElse(free));
        }
        return until;
    }

    static int respawnsWithinHour(List<ShardState> shards, Instant now) {
        return shards.stream()
                .mapToInt(s -> s.respawnsWithinHour(now).size())
                .max()
                .orElse(0);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || a.isBefore(b) ? b : a;
    }

    static String stamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
