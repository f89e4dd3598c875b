package dev.chopsticks.operator.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the planner decided: pods to delete now, shards it refuses to respawn (with why), the progress for the
 * status, and when to look again if nothing else happens.
 *
 * @param restarts pods to delete now
 * @param refusedRespawns dead or zombie shards left alone (restart cap or identify budget)
 * @param progress rolling-restart progress
 * @param recheckAfter when a time-based rule (identify window, heartbeat, timeout, cap expiry) next needs a look
 */
public record RolloutDecision(
        List<PodRestart> restarts,
        List<RefusedRespawn> refusedRespawns,
        Progress progress,
        Optional<Duration> recheckAfter) {

    public RolloutDecision {
        restarts = List.copyOf(restarts);
        refusedRespawns = List.copyOf(refusedRespawns);
    }

    /**
     * Delete this pod (the StatefulSet recreates it).
     *
     * @param generation its generation
     * @param pod the pod as observed (name, UID, resourceVersion for the delete precondition)
     * @param shards the Shard object names it runs
     * @param shardIds the shard ids it runs
     * @param reason why
     * @param detail human-readable detail for the Event
     */
    public record PodRestart(
            int generation,
            PodState pod,
            List<String> shards,
            List<Integer> shardIds,
            RestartReason reason,
            String detail) {
        public PodRestart {
            shards = List.copyOf(shards);
            shardIds = List.copyOf(shardIds);
        }
    }

    /** Why a dead shard is not respawned. */
    public enum Refusal {
        RESTART_CAP_REACHED("RestartCapReached"),
        IDENTIFY_BUDGET_LOW("IdentifyBudgetLow");

        private final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }

        /** The condition reason on the Shard. */
        public String reason() {
            return reason;
        }
    }

    /**
     * A shard that needs a respawn the operator will not give it: marked with {@code Respawn=False}.
     *
     * @param shard the Shard object name
     * @param refusal cap or budget
     * @param message what happened and what to do
     */
    public record RefusedRespawn(String shard, Refusal refusal, String message) {}

    /** Where the rolling restart stands. */
    public enum State {
        /** Every pod runs the target revision. */
        COMPLETE,
        /** Pods deleted in this decision. */
        RESTARTING,
        /** The previous step's shards are not Ready yet. */
        WAITING_FOR_READY,
        /** Waiting for the identify window (respawnDelay after the previous step's identify). */
        WAITING_FOR_IDENTIFY_WINDOW,
        /**
         * The StatefulSet controller has not yet acted on the new template: a pod deleted now would come back on the
         * old revision and cost a second restart.
         */
        WAITING_FOR_STATEFULSET,
        /** Not enough identifies left today to restart more shards. */
        WAITING_FOR_IDENTIFY_BUDGET,
        /** rollout.paused. */
        PAUSED,
        /** A restarted pod did not become Ready within readyTimeout. */
        HALTED
    }

    /**
     * @param targetRevision pod-template hash being rolled out (of the rolling generation)
     * @param updatedShards shards whose pod runs the target revision
     * @param totalShards shards of the rolling generations
     * @param step step in progress (0 before the first)
     * @param totalSteps steps a full rolling restart of these generations takes
     * @param state where it stands
     * @param detail human-readable, stable while the state does not change (no timers in it)
     */
    public record Progress(
            String targetRevision,
            int updatedShards,
            int totalShards,
            int step,
            int totalSteps,
            State state,
            String detail) {

        public boolean halted() {
            return state == State.HALTED;
        }

        public boolean inProgress() {
            return state != State.COMPLETE;
        }

        /** For status.rollout.currentStep. */
        public String currentStep() {
            return switch (state) {
                case COMPLETE ->
                    "complete: " + updatedShards + "/" + totalShards + " shards on revision " + targetRevision;
                case PAUSED -> "paused (rollout.paused): " + detail;
                case HALTED -> "halted: " + detail;
                default -> "step " + step + " of " + totalSteps + ": " + detail;
            };
        }
    }
}
