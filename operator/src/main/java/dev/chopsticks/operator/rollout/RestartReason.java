package dev.chopsticks.operator.rollout;

/** Why the operator deletes a shard pod. */
public enum RestartReason {
    /** The pod runs an older pod template (image, config, resources): a rolling-restart step. */
    ROLLOUT(false),
    /** The pod was created before {@code chopsticks.dev/restart-at}: a manual rolling-restart step. */
    MANUAL_RESTART(false),
    /** The container keeps exiting (CrashLoopBackOff, Error) or the pod Failed. */
    CRASH_LOOP(true),
    /** The pod looks healthy but the bot's last heartbeat is older than heartbeatTimeout: a zombie gateway. */
    ZOMBIE(true);

    private final boolean respawn;

    RestartReason(boolean respawn) {
        this.respawn = respawn;
    }

    /** Respawns are counted against maxRestartsPerHour and recorded as ShardRespawned; the others as RolloutStep. */
    public boolean isRespawn() {
        return respawn;
    }
}
