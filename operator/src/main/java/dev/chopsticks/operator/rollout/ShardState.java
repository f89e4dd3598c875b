package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One {@code Shard} object as the planner sees it: the bot's side of its status and the operator's restart records
 * (annotations, so they survive operator restarts).
 *
 * @param id shard id
 * @param name Shard object name
 * @param phase gateway phase reported by the bot, null before the first report
 * @param sessionStartedAt when the bot's current session got READY (the identify), null before the first
 * @param lastHeartbeat the bot's last heartbeat ACK, null before the first
 * @param restartedAt when the rollout last deleted this shard's pod ({@value ShardAnnotations#RESTARTED_AT})
 * @param respawnedAt when the operator respawned it within about the last hour ({@value ShardAnnotations#RESPAWNED_AT})
 * @param respawnCount respawns by the operator, ever ({@value ShardAnnotations#RESPAWN_COUNT})
 * @param identifyRemaining Discord's session_start_limit.remaining as the bot last saw it, null if not reported
 * @param identifyTotal session_start_limit.total, null if not reported
 */
public record ShardState(
        int id,
        String name,
        ShardPhase phase,
        Instant sessionStartedAt,
        Instant lastHeartbeat,
        Instant restartedAt,
        List<Instant> respawnedAt,
        int respawnCount,
        Integer identifyRemaining,
        Integer identifyTotal) {

    public ShardState {
        respawnedAt = respawnedAt == null ? List.of() : List.copyOf(respawnedAt);
    }

    /** A shard without any report or record yet. */
    public static ShardState fresh(int id, String name) {
        return new ShardState(id, name, null, null, null, null, List.of(), 0, null, null);
    }

    /**
     * Ready in a session that the given pod started: phase Ready, and the session (else the last heartbeat) is not
     * older than the pod (creation times have second precision) and newer than the operator's last restart of the
     * shard (millisecond precision). A Ready left behind by the pod's predecessor does not count.
     */
    public boolean readyOn(PodState pod) {
        if (phase != ShardPhase.Ready || pod == null) {
            return false;
        }
        Instant evidence = sessionStartedAt != null ? sessionStartedAt : lastHeartbeat;
        if (evidence == null || evidence.isBefore(pod.createdAt())) {
            return false;
        }
        Instant restarted = lastRestart();
        return restarted == null || evidence.isAfter(restarted);
    }

    /**
     * Warm on the given pod and waiting to take its session over from the serving generation (make-before-break):
     * phase Standby, reported since the pod started running. Its Shard object belongs to a generation created for the
     * hand-off, so no other pod's Standby can be left on it unless this pod replaced one of its own generation; that
     * one reports Starting first, within its JVM start.
     */
    public boolean standbyOn(PodState pod) {
        return phase == ShardPhase.Standby && pod != null && pod.running() && !pod.terminating();
    }

    /** The operator's last delete of this shard's pod (rollout step or respawn), if recorded. */
    public Instant lastRestart() {
        Instant last = restartedAt;
        for (Instant t : respawnedAt) {
            if (last == null || t.isAfter(last)) {
                last = t;
            }
        }
        return last;
    }

    /** A session started at or after the given time. */
    public boolean sessionSince(Instant time) {
        return sessionStartedAt != null && !sessionStartedAt.isBefore(time);
    }

    /** Respawns in the hour before {@code now}. */
    public List<Instant> respawnsWithinHour(Instant now) {
        Instant from = now.minus(Duration.ofHours(1));
        return respawnedAt.stream()
                .filter(t -> t.isAfter(from) && !t.isAfter(now))
                .sorted()
                .toList();
    }
}
