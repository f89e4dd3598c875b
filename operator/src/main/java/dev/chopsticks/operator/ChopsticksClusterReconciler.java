package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.dashboard.DashboardDeployment;
import dev.chopsticks.operator.dashboard.DashboardEnabled;
import dev.chopsticks.operator.dashboard.DashboardService;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.PlanEvents;
import dev.chopsticks.operator.intake.UnreadableCluster;
import dev.chopsticks.operator.intake.UnreadableShards;
import dev.chopsticks.operator.migrations.MigrationJob;
import dev.chopsticks.operator.migrations.MigrationJobs;
import dev.chopsticks.operator.migrations.MigrationSucceeded;
import dev.chopsticks.operator.network.DashboardNetworkPolicy;
import dev.chopsticks.operator.network.MigrationsNetworkPolicy;
import dev.chopsticks.operator.network.PgBouncerNetworkPolicy;
import dev.chopsticks.operator.network.RedisNetworkPolicy;
import dev.chopsticks.operator.network.ShardNetworkPolicy;
import dev.chopsticks.operator.pgbouncer.PgBouncerAuthSecret;
import dev.chopsticks.operator.pgbouncer.PgBouncerConfigMap;
import dev.chopsticks.operator.pgbouncer.PgBouncerDeployment;
import dev.chopsticks.operator.pgbouncer.PgBouncerEnabled;
import dev.chopsticks.operator.pgbouncer.PgBouncerService;
import dev.chopsticks.operator.rbac.BotRole;
import dev.chopsticks.operator.rbac.BotRoleBinding;
import dev.chopsticks.operator.rbac.BotServiceAccount;
import dev.chopsticks.operator.redis.RedisConfigMap;
import dev.chopsticks.operator.redis.RedisManaged;
import dev.chopsticks.operator.redis.RedisPasswordSecret;
import dev.chopsticks.operator.redis.RedisService;
import dev.chopsticks.operator.redis.RedisStatefulSet;
import dev.chopsticks.operator.rollout.ControlAnnotations;
import dev.chopsticks.operator.shards.ActiveGenerationConfigMap;
import dev.chopsticks.operator.shards.ServiceMonitorCrdPresent;
import dev.chopsticks.operator.shards.ShardDisruptionBudget;
import dev.chopsticks.operator.shards.ShardObjects;
import dev.chopsticks.operator.shards.ShardPods;
import dev.chopsticks.operator.shards.ShardService;
import dev.chopsticks.operator.shards.ShardServiceMonitor;
import dev.chopsticks.operator.shards.ShardStatefulSet;
import dev.chopsticks.operator.status.Observed;
import dev.chopsticks.operator.validation.ClusterValidator;
import dev.chopsticks.operator.validation.Problem;
import dev.chopsticks.operator.validation.ReferencedSecrets;
import dev.chopsticks.operator.validation.ValidationLimits;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a ChopsticksCluster; it only sequences the steps, each in its own class: <b>observe</b> the referenced
 * Secrets and the cluster's objects ({@link ClusterObjects}) &rarr; <b>validate</b> ({@link UnreadableCluster}: a
 * spec the operator could not deserialize; {@link ClusterValidator}: a
 * problem stops here and leaves every owned resource as it is) &rarr; <b>plan</b> the shard generations
 * ({@link ShardGenerations}) &rarr; <b>apply</b> the dependents below (one class each, {@code desired()} pure), with
 * the plan's and the migration Jobs' Events ({@link PlanEvents}, {@link MigrationJobs}) &rarr; <b>roll</b>
 * (respawns, rolling restart, reshard: {@link ShardRollout}) &rarr; <b>report</b> (status, metrics, warnings, also
 * of Shards whose status could not be read, {@link UnreadableShards}: {@link StatusReport}). The operator never
 * writes the cluster's spec; all Events go through one EventRecorder, which forgets a cluster once it is deleted.
 */
@ControllerConfiguration(
        name = ChopsticksClusterReconciler.NAME,
        fieldManager = ChopsticksClusterReconciler.FIELD_MANAGER,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES),
        // spec changes (generation) and the control annotations (metadata only) trigger a reconcile; our own status
        // writes do not
        generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = ClusterUpdateFilter.class))
@Workflow(
        explicitInvocation = true,
        handleExceptionsInReconciler = true,
        dependents = {
            @Dependent(name = "bot-service-account", type = BotServiceAccount.class),
            @Dependent(name = "bot-role", type = BotRole.class),
            @Dependent(
                    name = "bot-role-binding",
                    type = BotRoleBinding.class,
                    dependsOn = {"bot-service-account", "bot-role"}),
            @Dependent(name = "redis-config", type = RedisConfigMap.class, reconcilePrecondition = RedisManaged.class),
            @Dependent(
                    name = "redis-auth",
                    type = RedisPasswordSecret.class,
                    reconcilePrecondition = RedisManaged.class),
            @Dependent(
                    name = "redis",
                    type = RedisStatefulSet.class,
                    reconcilePrecondition = RedisManaged.class,
                    dependsOn = {"redis-config", "redis-auth"}),
            @Dependent(name = "redis-service", type = RedisService.class, reconcilePrecondition = RedisManaged.class),
            @Dependent(
                    name = "redis-network-policy",
                    type = RedisNetworkPolicy.class,
                    reconcilePrecondition = RedisManaged.class),
            @Dependent(
                    name = "pgbouncer-config",
                    type = PgBouncerConfigMap.class,
                    reconcilePrecondition = PgBouncerEnabled.class),
            @Dependent(
                    name = "pgbouncer-auth",
                    type = PgBouncerAuthSecret.class,
                    reconcilePrecondition = PgBouncerEnabled.class),
            @Dependent(
                    name = "pgbouncer",
                    type = PgBouncerDeployment.class,
                    reconcilePrecondition = PgBouncerEnabled.class,
                    dependsOn = {"pgbouncer-config", "pgbouncer-auth"}),
            @Dependent(
                    name = "pgbouncer-service",
                    type = PgBouncerService.class,
                    reconcilePrecondition = PgBouncerEnabled.class),
            @Dependent(
                    name = "pgbouncer-network-policy",
                    type = PgBouncerNetworkPolicy.class,
                    reconcilePrecondition = PgBouncerEnabled.class),
            @Dependent(name = "migrations-network-policy", type = MigrationsNetworkPolicy.class),
            @Dependent(name = "migrations", type = MigrationJob.class, readyPostcondition = MigrationSucceeded.class),
            @Dependent(name = "shard-service", type = ShardService.class),
            @Dependent(name = "shard-network-policy", type = ShardNetworkPolicy.class),
            @Dependent(name = "shard-objects", type = ShardObjects.class),
            @Dependent(name = "active-generation", type = ActiveGenerationConfigMap.class),
            @Dependent(
                    name = "shards",
                    type = ShardStatefulSet.class,
                    dependsOn = {"migrations", "bot-role-binding", "shard-service"}),
            @Dependent(name = "shard-disruption-budget", type = ShardDisruptionBudget.class),
            @Dependent(
                    name = "shard-service-monitor",
                    type = ShardServiceMonitor.class,
                    activationCondition = ServiceMonitorCrdPresent.class),
            @Dependent(
                    name = "dashboard",
                    type = DashboardDeployment.class,
                    reconcilePrecondition = DashboardEnabled.class,
                    dependsOn = {"migrations"}),
            @Dependent(
                    name = "dashboard-service",
                    type = DashboardService.class,
                    reconcilePrecondition = DashboardEnabled.class),
            @Dependent(
                    name = "dashboard-network-policy",
                    type = DashboardNetworkPolicy.class,
                    reconcilePrecondition = DashboardEnabled.class),
        })
public class ChopsticksClusterReconciler implements Reconciler<ChopsticksCluster> {
    public static final String NAME = "chopsticks-cluster";
    /** Field manager of every server-side apply of the operator (owned resources and the cluster status). */
    public static final String FIELD_MANAGER = "chopsticks-operator";

    static final Duration RETRY_DEGRADED = Duration.ofMinutes(1);
    static final Duration RETRY_ERROR = Duration.ofSeconds(30);

    private final Clock clock;
    private final PlanEvents plans;
    private final MigrationJobs migrations;
    private final ShardRollout rollout;
    private final StatusReport report;
    private final ValidationLimits limits;
    private final ApiContact contact;

    public ChopsticksClusterReconciler(
            Clock clock,
            ApiContact contact,
            ValidationLimits limits,
            PlanEvents plans,
            MigrationJobs migrations,
            ShardRollout rollout,
            StatusReport report) {
        this.clock = clock;
        this.contact = contact;
        this.limits = limits;
        this.plans = plans;
        this.migrations = migrations;
        this.rollout = rollout;
        this.report = report;
    }

    @Override
    public List<EventSource<?, ChopsticksCluster>> prepareEventSources(EventSourceContext<ChopsticksCluster> context) {
        return List.of(ReferencedSecrets.eventSource(context), ShardPods.eventSource(context));
    }

    @Override
    public UpdateControl<ChopsticksCluster> reconcile(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        if (ControlAnnotations.reconcilePaused(cluster)) {
            return report.paused(cluster);
        }
        Instant now = clock.instant();
        Instant observingSince = contact.observingSince();
        // a spec the operator's types could not hold: reported, nothing else
        Optional<Problem> unreadable = UnreadableCluster.check(cluster, context.getClient());
        if (unreadable.isPresent()) {
            return report.invalid(cluster, ClusterObjects.read(cluster, context), unreadable.get())
                    .rescheduleAfter(RETRY_DEGRADED);
        }
        // observe the referenced Secrets, validate
        String namespace = cluster.getMetadata().getNamespace();
        var validation =
                ClusterValidator.validate(cluster, limits, name -> ReferencedSecrets.get(context, namespace, name));
        if (validation instanceof ClusterValidator.Invalid invalid) {
            return report.invalid(cluster, ClusterObjects.read(cluster, context), invalid.problem())
                    .rescheduleAfter(RETRY_DEGRADED);
        }
        ClusterInputs inputs = ((ClusterValidator.Valid) validation).inputs();
        // observe the shard generations, plan which should exist
        ShardGenerations generations = ShardGenerations.plan(
                cluster,
                ClusterObjects.read(cluster, context).generations(),
                ActiveGenerationConfigMap.observed(cluster, context),
                inputs.plan());
        // apply
        Optional<Problem> error = apply(inputs, generations, context, contact);
        Set<EventReason> stillTrue = EnumSet.noneOf(EventReason.class);
        stillTrue.addAll(plans.announce(cluster, inputs.plan()));
        stillTrue.addAll(migrations.afterApply(cluster, context));
        // roll, only onto what was applied
        Optional<ShardRollout.Result> rolled = error.isEmpty()
                ? Optional.of(rollout.roll(cluster, context, inputs.plan(), generations, now, observingSince))
                : Optional.empty();
        rolled.ifPresent(r -> stillTrue.addAll(r.activeWarnings()));
        stillTrue.addAll(rollout.checkAnnotations(cluster));
        // report
        ClusterObjects after = ClusterObjects.read(cluster, context);
        // Shards whose status could not be read are not Ready; the cluster says which
        UnreadableShards.check(after.shards(), context.getClient()).ifPresent(p -> {
            report.warn(cluster, p);
            stillTrue.add(p.eventReason());
        });
        Observed observed = StatusReport.observe(cluster, after, Optional.of(inputs.plan()), error, rolled);
        if (error.isPresent()) {
            return report.applyFailed(cluster, after, observed, error.get()).rescheduleAfter(RETRY_ERROR);
        }
        UpdateControl<ChopsticksCluster> control = report.reconciled(cluster, after, observed, stillTrue);
        return rolled.get().recheckAfter().map(control::rescheduleAfter).orElse(control);
    }

    /** The dependent workflow with this reconcile's inputs (explicitly invoked: only after validation). */
    private static Optional<Problem> apply(
            ClusterInputs inputs,
            ShardGenerations generations,
            Context<ChopsticksCluster> context,
            ApiContact contact) {
        inputs.withGenerations(
                        generations.live(),
                        generations.decision().active(),
                        generations.decision().sessionsFrom())
                .putInto(context);
        var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        if (result.getErroredDependents().values().stream().anyMatch(ApiContact::unreachable)) {
            contact.lost();
        }
        return ApplyErrors.of(result);
    }

    /** A reconcile that threw: JOSDK retries it; if the API server was unreachable, the observation has a gap. */
    @Override
    public ErrorStatusUpdateControl<ChopsticksCluster> updateErrorStatus(
            ChopsticksCluster cluster, Context<ChopsticksCluster> context, Exception e) {
        if (ApiContact.unreachable(e)) {
            contact.lost();
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
}
