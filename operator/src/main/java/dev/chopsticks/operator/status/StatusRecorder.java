package dev.chopsticks.operator.status;

import static dev.chopsticks.operator.status.Conditions.*;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.ClusterPhase;
import dev.chopsticks.api.v1alpha1.RolloutStatus;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
import dev.chopsticks.operator.rollout.RolloutDecision.State;
import dev.chopsticks.operator.validation.Problem;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place that computes a cluster's status: observedGeneration, phase, the Ready/Progressing/Degraded
 * conditions, shards, readyShards and guilds. Pure; a condition keeps its lastTransitionTime while its status
 * stays the same, so an unchanged cluster produces an identical status and {@link #patchFor} returns nothing to
 * write. The rollout part comes from the rollout planner's progress (carried over when the planner did not run),
 * the identify budget from the bots' reports (carried over when none reported).
 */
public final class StatusRecorder {

    private StatusRecorder() {}

    public static ChopsticksClusterStatus compute(ChopsticksCluster cluster, Observed o, Instant now) {
        ChopsticksClusterStatus previous = cluster.getStatus();
        long generation =
                Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);
        Integer shards = o.plan().map(p -> p.shards()).orElse(previous == null ? null : previous.shards());
        int total = shards == null ? 0 : shards;
        Progress rollout = o.rollout();

        boolean migrationFailed = o.migration() == Observed.Migration.FAILED;
        boolean halted = rollout != null && rollout.halted();
        // blocked: nothing moves forward; refused respawns leave the rest of the cluster progressing
        boolean blocked = o.problem().isPresent() || migrationFailed || halted;
        boolean degraded = blocked || o.refusedRespawns().isPresent();
        boolean allReady = total > 0 && o.readyShards() >= total && o.shardsDeployed();
        boolean rolling = rollout != null && rollout.inProgress() && !halted && rollout.state() != State.PAUSED;
        boolean resharding = o.reshard() != null;
        String readiness = o.readyShards() + "/" + total + " shards ready";

        List<StatusCondition> conditions = new ArrayList<>();
        conditions.add(
                allReady
                        ? condition(READY, TRUE, ALL_SHARDS_READY, readiness, generation)
                        : condition(READY, FALSE, SHARDS_NOT_READY, readiness, generation));

        // a Job counts as awaited only when it exists, or is about to be created by a reconcile that is not failing
        boolean awaitingMigration = o.migration() == Observed.Migration.RUNNING
                || (o.migration() == Observed.Migration.NOT_STARTED
                        && o.problem().isEmpty());
        if (awaitingMigration) {
            conditions.add(condition(
                    PROGRESSING,
                    TRUE,
                    MIGRATION_RUNNING,
                    "waiting for migration Job " + o.migrationJob() + " before shards get the new image",
                    generation));
        } else if (o.problem().isPresent()) {
            conditions.add(condition(
                    PROGRESSING,
                    FALSE,
                    BLOCKED,
                    "nothing progresses until Degraded (" + o.problem().get().reason() + ") is resolved",
                    generation));
        } else if (resharding && !blocked) {
            conditions.add(condition(PROGRESSING, TRUE, RESHARDING, o.reshard(), generation));
        } else if (rolling && !blocked) {
            conditions.add(condition(PROGRESSING, TRUE, ROLLING_RESTART, rollout.currentStep(), generation));
        } else if (!allReady && !blocked) {
            conditions.add(condition(PROGRESSING, TRUE, SHARDS_STARTING, readiness, generation));
        } else if (rollout != null && rollout.state() == State.PAUSED) {
            conditions.add(condition(PROGRESSING, FALSE, ROLLOUT_PAUSED, rollout.currentStep(), generation));
        } else {
            conditions.add(condition(PROGRESSING, FALSE, STABLE, readiness, generation));
        }

        if (o.problem().isPresent()) {
            conditions.add(condition(
                    DEGRADED,
                    TRUE,
                    o.problem().get().reason(),
                    o.problem().get().message(),
                    generation));
        } else if (migrationFailed) {
            conditions.add(condition(
                    DEGRADED,
                    TRUE,
                    MIGRATION_FAILED,
                    "migration Job " + o.migrationJob() + " failed: "
                            + Objects.requireNonNullElse(o.migrationFailure(), "unknown reason"),
                    generation));
        } else if (halted) {
            conditions.add(condition(DEGRADED, TRUE, ROLLOUT_HALTED, rollout.currentStep(), generation));
        } else if (o.refusedRespawns().isPresent()) {
            Problem refused = o.refusedRespawns().get();
            conditions.add(condition(DEGRADED, TRUE, refused.reason(), refused.message(), generation));
        } else {
            conditions.add(condition(DEGRADED, FALSE, AS_EXPECTED, "", generation));
        }

        ClusterPhase phase;
        if (degraded) {
            phase = ClusterPhase.Degraded;
        } else if (allReady && !rolling && !resharding) {
            phase = ClusterPhase.Ready;
        } else if (!o.shardsDeployed()) {
            phase = ClusterPhase.Pending;
        } else {
            phase = ClusterPhase.Progressing;
        }

        RolloutStatus previousRollout = previous == null ? null : previous.rollout();
        RolloutStatus rolloutStatus = rollout == null && o.activeGeneration() == null
                ? previousRollout
                : new RolloutStatus(
                        rollout == null
                                ? field(previousRollout, RolloutStatus::targetRevision)
                                : rollout.targetRevision(),
                        rollout == null
                                ? field(previousRollout, RolloutStatus::updatedShards)
                                : (Integer) rollout.updatedShards(),
                        rollout == null ? field(previousRollout, RolloutStatus::currentStep) : rollout.currentStep(),
                        o.activeGeneration() == null
                                ? field(previousRollout, RolloutStatus::activeGeneration)
                                : o.activeGeneration(),
                        halted ? rollout.detail() : null);

        return new ChopsticksClusterStatus(
                generation,
                phase,
                keepTransitionTimes(previous == null ? null : previous.conditions(), conditions, now),
                shards,
                o.readyShards(),
                o.guilds(),
                o.identify() != null ? o.identify() : previous == null ? null : previous.identify(),
                rolloutStatus);
    }

    /**
     * The status while {@code chopsticks.dev/pause-reconcile} is set: the previous one with Progressing=False
     * (ReconcilePaused); nothing else is observed or changed.
     */
    public static ChopsticksClusterStatus paused(ChopsticksCluster cluster, Instant now) {
        ChopsticksClusterStatus previous = cluster.getStatus();
        long generation =
                Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);
        List<StatusCondition> conditions = new ArrayList<>();
        if (previous != null && previous.conditions() != null) {
            previous.conditions().stream()
                    .filter(c -> !PROGRESSING.equals(c.type()))
                    .forEach(conditions::add);
        }
        conditions.add(condition(
                PROGRESSING,
                FALSE,
                RECONCILE_PAUSED,
                "annotation chopsticks.dev/pause-reconcile is "
                        + "set: the operator applies, restarts and respawns nothing for this cluster",
                generation));
        return new ChopsticksClusterStatus(
                previous == null ? null : previous.observedGeneration(),
                previous == null ? ClusterPhase.Pending : previous.phase(),
                keepTransitionTimes(previous == null ? null : previous.conditions(), conditions, now),
                previous == null ? null : previous.shards(),
                previous == null ? null : previous.readyShards(),
                previous == null ? null : previous.guilds(),
                previous == null ? null : previous.identify(),
                previous == null ? null : previous.rollout());
    }

    private static <T> T field(RolloutStatus status, Function<RolloutStatus, T> f) {
        return status == null ? null : f.apply(status);
    }

    /** A status-only object to apply, or empty when the status is already what it should be (no write). */
    public static Optional<ChopsticksCluster> patchFor(ChopsticksCluster cluster, ChopsticksClusterStatus status) {
        if (Objects.equals(cluster.getStatus(), status)) {
            return Optional.empty();
        }
        ChopsticksCluster patch = new ChopsticksCluster(
                cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), null);
        patch.setStatus(status);
        return Optional.of(patch);
    }

    public static Optional<StatusCondition> condition(ChopsticksClusterStatus status, String type) {
        if (status == null || status.conditions() == null) {
            return Optional.empty();
        }
        return status.conditions().stream().filter(c -> type.equals(c.type())).findFirst();
    }

    private static StatusCondition condition(
            String type, String status, String reason, String message, long generation) {
        return new StatusCondition(type, status, reason, message, null, generation);
    }

    private static List<StatusCondition> keepTransitionTimes(
            List<StatusCondition> previous, List<StatusCondition> next, Instant now) {
        String stamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        List<StatusCondition> out = new ArrayList<>(next.size());
        for (StatusCondition c : next) {
            String time = stamp;
            if (previous != null) {
                for (StatusCondition p : previous) {
                    if (p.type().equals(c.type()) && p.status().equals(c.status()) && p.lastTransitionTime() != null) {
                        time = p.lastTransitionTime();
                    }
                }
            }
            out.add(new StatusCondition(c.type(), c.status(), c.reason(), c.message(), time, c.observedGeneration()));
        }
        return out;
    }
}
