package dev.chopsticks.api.v1alpha1;

/** Gateway life cycle of one shard as seen from the bot process. */
public enum ShardPhase {
    Pending,
    Starting,
    Identifying,
    Ready,
    /** Warm and waiting to take its session over from the serving generation (a session hand-off). */
    Standby,
    Resuming,
    Disconnected,
    Failed
}
