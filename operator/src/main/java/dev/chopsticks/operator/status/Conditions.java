package dev.chopsticks.operator.status;

/** Condition types and reasons of a ChopsticksCluster. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    public static final String TRUE = "True";
    public static final String FALSE = "False";

    public static final String ALL_SHARDS_READY = "AllShardsReady";
    public static final String SHARDS_NOT_READY = "ShardsNotReady";
    public static final String MIGRATION_RUNNING = "MigrationRunning";
    public static final String MIGRATION_FAILED = "MigrationFailed";
    public static final String SHARDS_STARTING = "ShardsStarting";
    public static final String STABLE = "Stable";
    public static final String AS_EXPECTED = "AsExpected";
    public static final String RECONCILE_ERROR = "ReconcileError";
    public static final String ROLLING_RESTART = "RollingRestart";
    public static final String ROLLOUT_PAUSED = "RolloutPaused";
    public static final String ROLLOUT_HALTED = "RolloutHalted";
    public static final String RESHARDING = "Resharding";
    public static final String RECONCILE_PAUSED = "ReconcilePaused";
    public static final String BLOCKED = "Blocked";

    private Conditions() {}
}
