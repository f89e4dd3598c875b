package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import dev.chopsticks.operator.migrations.MigrationJob;
import dev.chopsticks.operator.migrations.MigrationJobs;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.GenerationPlanner;
import dev.chopsticks.operator.rollout.GenerationState;
import dev.chopsticks.operator.rollout.RolloutDecision;
import dev.chopsticks.operator.rollout.RolloutEvents;
import dev.chopsticks.operator.status.Conditions;
import dev.chopsticks.operator.status.Observed;
import dev.chopsticks.operator.status.ShardReadiness;
import dev.chopsticks.operator.status.StatusRecorder;
import dev.chopsticks.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report step: what the reconcile observed ({@link #observe}, pure: migration, shard readiness, rollout, reshard,
 * identify budget) becomes the status ({@link StatusRecorder}, written only when it changed) and the metrics, and
 * the warnings that no longer hold are cleared, so that they are recorded again if they come back.
 */
public final class StatusReport {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReport.class);

    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;

    public StatusReport(EventRecorder events, OperatorMetrics metrics, Clock clock) {
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A reconcile that ran through: only the warnings in {@code stillTrue} stay remembered. */
    UpdateControl<ChopsticksCluster> reconciled(
            ChopsticksCluster cluster, ClusterObjects objects, Observed observed, Set<EventReason> stillTrue) {
        events.clearWarningsExcept(cluster, stillTrue);
        return write(cluster, objects, observed);
    }

    /** The apply failed: Degraded, and a warning naming the dependents (the other warnings stay as they were). */
    UpdateControl<ChopsticksCluster> applyFailed(
            ChopsticksCluster cluster, ClusterObjects objects, Observed observed, Problem error) {
        events.warning(cluster, EventReason.RECONCILE_ERROR, error.message());
        return write(cluster, objects, observed);
    }

    /** Validation failed, so nothing was applied: Degraded says why, and one warning. */
    UpdateControl<ChopsticksCluster> invalid(ChopsticksCluster cluster, ClusterObjects objects, Problem problem) {
        events.clearWarningsExcept(cluster, Set.of(problem.eventReason()));
        // the status says it already (written by this replica or one before it, which survives restarts)
        boolean reported = StatusRecorder.condition(cluster.getStatus(), Conditions.DEGRADED)
                .filter(c -> Conditions.TRUE.equals(c.status())
                        && problem.reason().equals(c.reason())
                        && problem.message().equals(c.message()))
                .isPresent();
        if (reported) {
            events.remember(cluster, EventRecorder.warningKey(problem.eventReason()), problem.message());
        } else if (events.warning(cluster, problem.eventReason(), problem.message())) {
            // logged once per problem, like the Event, not on every retry
            LOG.warn(
                    "cluster {}/{} not reconciled: {}: {}",
                    cluster.getMetadata().getNamespace(),
                    cluster.getMetadata().getName(),
                    problem.reason(),
                    problem.message());
        }
        return write(
                cluster, objects, observe(cluster, objects, Optional.empty(), Optional.of(problem), Optional.empty()));
    }

    /** A warning besides the reconcile's own, recorded and logged once while its message stays the same. */
    void warn(ChopsticksCluster cluster, Problem problem) {
        if (events.warning(cluster, problem.eventReason(), problem.message())) {
            LOG.warn(
                    "cluster {}/{}: {}: {}",
                    cluster.getMetadata().getNamespace(),
                    cluster.getMetadata().getName(),
                    problem.reason(),
                    problem.message());
        }
    }

    /** pause-reconcile: nothing is applied, restarted or respawned; the status and one Event say so. */
    UpdateControl<ChopsticksCluster> paused(ChopsticksCluster cluster) {
        boolean already = StatusRecorder.condition(cluster.getStatus(), Conditions.PROGRESSING)
                .map(c -> Conditions.RECONCILE_PAUSED.equals(c.reason()))
                .orElse(false);
        if (!already) {
            events.normal(
                    cluster,
                    EventReason.RECONCILE_PAUSED,
                    "annotation " + Annotations.PAUSE_RECONCILE + " is set: reconciling stops until it is removed");
        }
        return patch(cluster, StatusRecorder.paused(cluster, clock.instant()));
    }

    private UpdateControl<ChopsticksCluster> write(
            ChopsticksCluster cluster, ClusterObjects objects, Observed observed) {
        ChopsticksClusterStatus status = StatusRecorder.compute(cluster, observed, clock.instant());
        metrics.record(ResourceID.fromResource(cluster), status, objects.shards());
        return patch(cluster, status);
    }

    private static UpdateControl<ChopsticksCluster> patch(ChopsticksCluster cluster, ChopsticksClusterStatus status) {
        return StatusRecorder.patchFor(cluster, status)
                .map(UpdateControl::patchStatus)
                .orElseGet(UpdateControl::noUpdate);
    }

    /**
     * @param plan the shard plan, absent when validation failed
     * @param problem why the cluster is Degraded, if it is
     * @param rolled the roll step's result, absent when it did not run (validation or the apply failed)
     */
    static Observed observe(
            ChopsticksCluster cluster,
            ClusterObjects objects,
            Optional<ShardPlan> plan,
            Optional<Problem> problem,
            Optional<ShardRollout.Result> rolled) {
        // without a spec (unreadable) there is no current image, so no current migration Job
        String jobName = cluster.getSpec() == null ? null : MigrationJob.name(cluster);
        Optional<Job> job =
                cluster.getSpec() == null ? Optional.empty() : MigrationJobs.current(cluster, objects.migrationJobs());
        Observed.Migration migration = job.map(j -> switch (MigrationJob.state(j)) {
                    case RUNNING -> Observed.Migration.RUNNING;
                    case SUCCEEDED -> Observed.Migration.SUCCEEDED;
                    case FAILED -> Observed.Migration.FAILED;
                })
                .orElse(Observed.Migration.NOT_STARTED);
        String failure = job.filter(j -> MigrationJob.state(j) == MigrationJob.State.FAILED)
                .map(MigrationJob::failure)
                .orElse(null);
        int total = plan.map(ShardPlan::shards)
                .orElse(
                        cluster.getStatus() == null || cluster.getStatus().shards() == null
                                ? 0
                                : cluster.getStatus().shards());
        if (rolled.isEmpty()) {
            // the previous view of readiness, no rollout
            ShardReadiness r = ShardReadiness.ofShardCount(objects.shards(), total);
            return new Observed(
                    plan,
                    problem,
                    migration,
                    jobName,
                    failure,
                    !objects.statefulSets().isEmpty(),
                    r.ready(),
                    r.guilds());
        }
        ShardRollout.Result view = rolled.get();
        GenerationPlanner.Decision d = view.generationDecision();
        int target = d.live().get(d.live().size() - 1).generation();
        ShardReadiness r = ShardReadiness.ofGenerations(objects.shards(), total, target, d.active());
        return new Observed(
                plan,
                problem,
                migration,
                jobName,
                failure,
                objects.deployed(target),
                r.ready(),
                r.guilds(),
                view.decision().progress(),
                d.active(),
                reshard(d, view.generations(), total),
                view.identify().orElse(null),
                refusedRespawns(view.decision()));
    }

    /** The first kind of refused respawn (the cap before the identify budget), as the Degraded reason. */
    static Optional<Problem> refusedRespawns(RolloutDecision decision) {
        for (RolloutDecision.Refusal refusal : RolloutDecision.Refusal.values()) {
            List<RolloutDecision.RefusedRespawn> of = decision.refusedRespawns().stream()
                    .filter(r -> r.refusal() == refusal)
                    .toList();
            if (!of.isEmpty()) {
                return Optional.of(new Problem(RolloutEvents.reasonOf(refusal), RolloutEvents.refusalMessage(of)));
            }
        }
        return Optional.empty();
    }

    /** What a reshard in progress is waiting for; null when none is. */
    private static String reshard(GenerationPlanner.Decision d, List<GenerationState> generations, int total) {
        if (d.pending().isEmpty()) {
            return null;
        }
        int p = d.pending().getAsInt();
        if (p == d.active()) {
            return "generation " + p + " is active; retiring generation "
                    + d.previouslyActive().orElse(0);
        }
        Optional<GenerationState> pg =
                generations.stream().filter(x -> x.generation() == p).findFirst();
        int pReady = pg.map(GenerationState::readyShards).orElse(0);
        int pShards = pg.map(GenerationState::shardCount).orElse(total);
        if (d.handingOver()) {
            int warm = pg.map(GenerationState::warmShards).orElse(0);
            return "generation " + p + " (new pod template) getting warm next to generation " + d.active()
                    + ", which keeps serving and then hands its sessions over: " + warm + "/" + pShards
                    + " shards warm";
        }
        return "generation " + p + " (" + pShards + " shards) starting next to generation " + d.active()
                + ", which keeps serving: " + pReady + "/" + pShards + " shards Ready";
    }
}
