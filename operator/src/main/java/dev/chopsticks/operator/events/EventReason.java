package dev.chopsticks.operator.events;

import java.util.Arrays;

/**
 * Every reason of an Event the operator records. The values are the wire strings: {@code kubectl get events},
 * alerts and tests match them, so a value never changes. The validation reasons double as the reason of the
 * {@code Degraded} condition.
 */
public enum EventReason {
    SHARDS_PLANNED("ShardsPlanned"),
    SHARDS_SCALED("ShardsScaled"),
    SHARD_OVERRIDE_IGNORED("ShardOverrideIgnored"),
    MIGRATION_STARTED("MigrationStarted"),
    MIGRATION_SUCCEEDED("MigrationSucceeded"),
    MIGRATION_FAILED("MigrationFailed"),
    RECONCILE_ERROR("ReconcileError"),
    RECONCILE_PAUSED("ReconcilePaused"),
    RESTART_AT_INVALID("RestartAtInvalid"),
    ROLLOUT_STARTED("RolloutStarted"),
    ROLLOUT_STEP("RolloutStep"),
    ROLLOUT_COMPLETED("RolloutCompleted"),
    ROLLOUT_HALTED("RolloutHalted"),
    SHARD_RESPAWNED("ShardRespawned"),
    RESTART_CAP_REACHED("RestartCapReached"),
    IDENTIFY_BUDGET_LOW("IdentifyBudgetLow"),
    RESHARD_STARTED("ReshardStarted"),
    RESHARD_SWITCHED("ReshardSwitched"),
    GENERATION_RETIRED("GenerationRetired"),
    HAND_OFF_STARTED("HandOffStarted"),
    SESSIONS_HANDED_OVER("SessionsHandedOver"),
    SHARD_UNREADABLE("ShardUnreadable"),
    // validation: the cluster is not reconciled until fixed
    SPEC_UNREADABLE("SpecUnreadable"),
    INVALID_NAME("InvalidName"),
    SHARD_LIMIT_EXCEEDED("ShardLimitExceeded"),
    SECRET_MISSING("SecretMissing"),
    SECRET_INVALID("SecretInvalid"),
    POOL_BUDGET_EXCEEDED("PoolBudgetExceeded");

    private final String value;

    EventReason(String value) {
        this.value = value;
    }

    /** The reason as written to the API server. */
    public String value() {
        return value;
    }

    /** The reason with this wire value. */
    public static EventReason of(String value) {
        return Arrays.stream(values())
                .filter(r -> r.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event reason: " + value));
    }

    @Override
    public String toString() {
        return value;
    }
}
