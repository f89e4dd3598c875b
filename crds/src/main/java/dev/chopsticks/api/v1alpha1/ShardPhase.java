package dev.chopsticks.api.v1alpha1;

/** Gateway life cycle of one shard as seen from the bot process. */
public enum ShardPhase {
    Pending,
    Starting,
    Identifying,
    Ready,
    Resuming,
    Disconnected,
    Failed
}
