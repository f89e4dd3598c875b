package dev.chopsticks.operator.rollout;

/** Why the operator deletes a shard pod. */
public enum RestartReason {
    /** The pod runs an older pod template (image, config, resources): a rolling-restart step. */
    ROLLOUT(false, "RolloutStep"),
    /** The pod was created before {@code chopsticks.dev/restart-at}: a manual rolling-restart step. */
    MANUAL_RESTART(false, "RolloutStep"),
    /** The container keeps exiting (CrashLoopBackOff, Error) or the pod Failed. */
    CRASH_LOOP(true, "ShardRespawned"),
    /** The pod looks healthy but the bot's last heartbeat is older than heartbeatTimeout: a zombie gateway. */
    ZOMBIE(true, "ShardRespawned");

    private final boolean respawn;
    private final String eventReason;

    RestartReason(boolean respawn, String eventReason) {
        this.respawn = respawn;
        this.eventReason = eventReason;
    }

    /** Respawns are counted against maxRestartsPerHour; rollout steps are not. */
    public boolean isRespawn() {
        return respawn;
    }

    public String eventReason() {
        return eventReason;
    }
}
