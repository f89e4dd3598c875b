package dev.chopsticks.operator;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.IdentifyStatus;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.ClusterInputs;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.dashboard.DashboardDeployment;
import dev.chopsticks.operator.dashboard.DashboardEnabled;
import dev.chopsticks.operator.dashboard.DashboardService;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import dev.chopsticks.operator.migrations.MigrationJob;
import dev.chopsticks.operator.migrations.MigrationSucceeded;
import dev.chopsticks.operator.network.PgBouncerNetworkPolicy;
import dev.chopsticks.operator.network.RedisNetworkPolicy;
import dev.chopsticks.operator.pgbouncer.PgBouncerAuthSecret;
import dev.chopsticks.operator.pgbouncer.PgBouncerConfigMap;
import dev.chopsticks.operator.pgbouncer.PgBouncerDeployment;
import dev.chopsticks.operator.pgbouncer.PgBouncerEnabled;
import dev.chopsticks.operator.pgbouncer.PgBouncerService;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rbac.BotRole;
import dev.chopsticks.operator.rbac.BotRoleBinding;
import dev.chopsticks.operator.rbac.BotServiceAccount;
import dev.chopsticks.operator.redis.RedisConfigMap;
import dev.chopsticks.operator.redis.RedisManaged;
import dev.chopsticks.operator.redis.RedisPasswordSecret;
import dev.chopsticks.operator.redis.RedisService;
import dev.chopsticks.operator.redis.RedisStatefulSet;
import dev.chopsticks.operator.rollout.ControlAnnotations;
import dev.chopsticks.operator.rollout.GenerationPlanner;
import dev.chopsticks.operator.rollout.GenerationState;
import dev.chopsticks.operator.rollout.RolloutDecision;
import dev.chopsticks.operator.rollout.RolloutExecutor;
import dev.chopsticks.operator.rollout.RolloutInput;
import dev.chopsticks.operator.rollout.RolloutObserver;
import dev.chopsticks.operator.rollout.RolloutPlanner;
import dev.chopsticks.operator.rollout.RolloutSettings;
import dev.chopsticks.operator.rollout.ShardState;
import dev.chopsticks.operator.shards.ActiveGenerationConfigMap;
import dev.chopsticks.operator.shards.ServiceMonitorCrdPresent;
import dev.chopsticks.operator.shards.ShardDisruptionBudget;
import dev.chopsticks.operator.shards.ShardObjects;
import dev.chopsticks.operator.shards.ShardPods;
import dev.chopsticks.operator.shards.ShardService;
import dev.chopsticks.operator.shards.ShardServiceMonitor;
import dev.chopsticks.operator.shards.ShardStatefulSet;
import dev.chopsticks.operator.shards.ShardStatusSync;
import dev.chopsticks.operator.status.Conditions;
import dev.chopsticks.operator.status.Observed;
import dev.chopsticks.operator.status.StatusRecorder;
import dev.chopsticks.operator.validation.ClusterValidator;
import dev.chopsticks.operator.validation.Problem;
import dev.chopsticks.operator.validation.ReferencedSecrets;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a ChopsticksCluster: <b>observe</b> (plan, referenced Secrets) &rarr; <b>validate</b> (names, Secrets,
 * connection budget; a problem stops here and leaves every owned resource as it is) &rarr; <b>reconcile</b> (the
 * dependent workflow below, then the pod side of the Shard statuses and clean-up of superseded migration Jobs)
 * &rarr; <b>status</b> (one {@link StatusRecorder}, written only when it changed) with Events from one
 * {@link EventRecorder}. The operator never writes the cluster's spec. Restart decisions (which pods to delete when
 * the template hash changes) belong to the rollout logic, not to the dependents.
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
            @Dependent(name = "migrations", type = MigrationJob.class, readyPostcondition = MigrationSucceeded.class),
            @Dependent(name = "shard-service", type = ShardService.class),
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
        })
public class ChopsticksClusterReconciler implements Reconciler<ChopsticksCluster> {
    public static final String NAME = "chopsticks-cluster";
    /** Field manager of every server-side apply of the operator (owned resources and the cluster status). */
    public static final String FIELD_MANAGER = "chopsticks-operator";

    static final Duration RETRY_DEGRADED = Duration.ofMinutes(1);
    static final Duration RETRY_ERROR = Duration.ofSeconds(30);
    static final Duration AFTER_SWITCH = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ChopsticksClusterReconciler.class);

    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final RolloutExecutor rollouts;
    private final Map<ResourceID, Integer> announced = new ConcurrentHashMap<>();

    public ChopsticksClusterReconciler(EventRecorder events, OperatorMetrics metrics, Clock clock) {
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.rollouts = new RolloutExecutor(events);
    }

    @Override
    public List<EventSource<?, ChopsticksCluster>> prepareEventSources(EventSourceContext<ChopsticksCluster> context) {
        return List.of(ReferencedSecrets.eventSource(context), ShardPods.eventSource(context));
    }

    @Override
    public UpdateControl<ChopsticksCluster> reconcile(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String namespace = cluster.getMetadata().getNamespace();
        ChopsticksClusterStatus previous = cluster.getStatus();
        Instant now = clock.instant();

        if (ControlAnnotations.reconcilePaused(cluster)) {
            return pausedReconcile(cluster, previous, now);
        }

        // validate
        var validation = ClusterValidator.validate(cluster, name -> ReferencedSecrets.get(context, namespace, name));
        if (validation instanceof ClusterValidator.Invalid invalid) {
            Problem problem = invalid.problem();
            LOG.warn(
                    "cluster {}/{} not reconciled: {}: {}",
                    namespace,
                    cluster.getMetadata().getName(),
                    problem.reason(),
                    problem.message());
            events.clearWarningsExcept(cluster, Set.of(problem.reason()));
            events.warning(cluster, problem.reason(), problem.message());
            Observed observed = observe(cluster, context, Optional.empty(), Optional.of(problem), null);
            return finish(cluster, context, observed).rescheduleAfter(RETRY_DEGRADED);
        }
        ClusterInputs inputs = ((ClusterValidator.Valid) validation).inputs();
        ShardPlan plan = inputs.plan();
        if (plan.explicitShardsIgnored()) {
            events.warning(
                    cluster,
                    EventRecorder.SHARD_OVERRIDE_IGNORED,
                    "sharding.shards (" + cluster.getSpec().sharding().shards() + ") cannot hold " + plan.guilds()
                            + " guilds at 2500 per shard; running " + plan.shards());
        }

        // observe the shard generations and decide which should exist (resharding)
        List<GenerationState> before = generations(cluster, context);
        GenerationPlanner.Decision generations = GenerationPlanner.plan(
                before.stream().map(GenerationPlanner.Observed::of).toList(),
                ActiveGenerationConfigMap.observed(cluster, context),
                new GenerationPlanner.Layout(plan.shards(), plan.shardsPerPod()));
        List<ShardGeneration> live = generations.live().stream()
                .map(l -> new ShardGeneration(
                        l.generation(),
                        plan.withLayout(l.layout().shards(), l.layout().shardsPerPod())))
                .toList();
        inputs = inputs.withGenerations(live, generations.active());

        // reconcile the dependents
        inputs.putInto(context);
        WorkflowReconcileResult result =
                context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        Optional<Problem> error = errorOf(result);

        announcePlan(cluster, previous, plan);
        migrationEvents(cluster, context);
        cleanUpMigrationJobs(cluster, context);

        Set<String> stillTrue = new HashSet<>();
        RolloutView view = null;
        if (error.isEmpty()) {
            reshardEvents(cluster, generations, before, live);
            view = rollout(cluster, context, plan, live, generations, now);
            stillTrue.addAll(RolloutExecutor.activeWarnings(view.decision()));
        }
        ControlAnnotations.invalidRestartAt(cluster).ifPresent(raw -> {
            stillTrue.add(EventRecorder.RESTART_AT_INVALID);
            events.warning(
                    cluster,
                    EventRecorder.RESTART_AT_INVALID,
                    "annotation " + Annotations.RESTART_AT + " is not an RFC 3339 time (e.g. 2025-06-01T12:00:00Z): '"
                            + raw + "'; ignored");
        });

        Observed observed = observe(cluster, context, Optional.of(plan), error, view);
        if (error.isPresent()) {
            events.warning(cluster, EventRecorder.RECONCILE_ERROR, error.get().message());
            return finish(cluster, context, observed).rescheduleAfter(RETRY_ERROR);
        }
        if (observed.migration() == Observed.Migration.FAILED) {
            stillTrue.add(EventRecorder.MIGRATION_FAILED);
        }
        if (plan.explicitShardsIgnored()) {
            stillTrue.add(EventRecorder.SHARD_OVERRIDE_IGNORED);
        }
        events.clearWarningsExcept(cluster, stillTrue);
        UpdateControl<ChopsticksCluster> control = finish(cluster, context, observed);
        Optional<Duration> recheck = view.decision().recheckAfter();
        if (generations.switched()) {
            // the old generation is retired by the next reconcile, once the ConfigMap says so; our own ConfigMap write
            // triggers none
            recheck = Optional.of(
                    recheck.filter(r -> r.compareTo(AFTER_SWITCH) < 0).orElse(AFTER_SWITCH));
        }
        return recheck.isPresent() ? control.rescheduleAfter(recheck.get()) : control;
    }

    /** What the rollout step of a reconcile saw and decided. */
    private record RolloutView(
            RolloutDecision decision,
            List<GenerationState> generations,
            GenerationPlanner.Decision generationDecision,
            Optional<IdentifyStatus> identify) {}

    /**
     * The restart step: observe the live generations after the apply, plan (respawns, rolling restart), write the pod
     * side of the Shard statuses (with Respawn conditions), then carry the plan out.
     */
    private RolloutView rollout(
            ChopsticksCluster cluster,
            Context<ChopsticksCluster> context,
            ShardPlan plan,
            List<ShardGeneration> live,
            GenerationPlanner.Decision generations,
            Instant now) {
        List<StatefulSet> statefulSets = shardStatefulSets(cluster, context);
        Map<String, Pod> pods = ShardPods.byName(cluster, context);
        List<Shard> shards = shards(cluster, context);
        List<GenerationState> states = new ArrayList<>();
        for (ShardGeneration g : live) {
            Optional<StatefulSet> sts = statefulSets.stream()
                    .filter(x -> RolloutObserver.generationOf(x) == g.generation())
                    .findFirst();
            states.add(RolloutObserver.generation(
                    g.generation(),
                    new GenerationPlanner.Layout(g.plan().shards(), g.plan().shardsPerPod()),
                    Names.shardStatefulSet(cluster, g.generation()),
                    sts.map(ShardStatefulSet::podTemplateHash).orElse(null),
                    pods.values(),
                    shards));
        }
        List<ShardState> shardStates =
                states.stream().flatMap(g -> g.shards().values().stream()).toList();
        Optional<IdentifyStatus> identify = RolloutObserver.identify(shardStates, now);
        OptionalInt remaining = identify.map(i -> OptionalInt.of(i.remaining())).orElse(OptionalInt.empty());
        RolloutSettings settings = RolloutSettings.from(
                cluster.getSpec().rollout(),
                plan.maxConcurrency(),
                ControlAnnotations.restartAt(cluster),
                remaining,
                plan.shards());
        int rolling = generations.pending().orElse(generations.active());
        RolloutDecision decision = RolloutPlanner.plan(new RolloutInput(now, settings, states, Set.of(rolling)));

        Map<String, RolloutDecision.RefusedRespawn> refused = decision.refusedRespawns().stream()
                .collect(Collectors.toMap(RolloutDecision.RefusedRespawn::shard, r -> r, (a, b) -> a));
        int patched = ShardStatusSync.sync(context.getClient(), cluster, live, shards, pods, refused, now);
        if (patched > 0) {
            LOG.debug(
                    "cluster {}/{}: pod side of {} shard statuses written",
                    cluster.getMetadata().getNamespace(),
                    cluster.getMetadata().getName(),
                    patched);
        }
        rollouts.announce(
                cluster,
                cluster.getStatus() == null ? null : cluster.getStatus().rollout(),
                decision);
        Map<String, ShardState> byName = shardStates.stream()
                .filter(x -> x.name() != null)
                .collect(Collectors.toMap(ShardState::name, x -> x, (a, b) -> a));
        rollouts.execute(context.getClient(), cluster, decision, byName, now);
        return new RolloutView(decision, states, generations, identify);
    }

    /** Events for a reshard: a generation started, the switch, a generation retired. */
    private void reshardEvents(
            ChopsticksCluster cluster,
            GenerationPlanner.Decision d,
            List<GenerationState> before,
            List<ShardGeneration> live) {
        Set<Integer> existed = before.stream().map(GenerationState::generation).collect(Collectors.toSet());
        d.pending().ifPresent(p -> {
            if (!existed.contains(p)) {
                ShardPlan pp = live.stream()
                        .filter(g -> g.generation() == p)
                        .findFirst()
                        .orElseThrow()
                        .plan();
                events.normal(
                        cluster,
                        EventRecorder.RESHARD_STARTED,
                        "shard generation " + p + " (" + pp.shards()
                                + " shards in " + pp.pods() + " pods) started next to generation "
                                + d.previouslyActive().orElse(0)
                                + ", which keeps serving until every new shard is Ready");
            }
        });
        if (d.switched()) {
            events.normal(
                    cluster,
                    EventRecorder.RESHARD_SWITCHED,
                    "generation " + d.active() + " is now active (" + d.reason() + "); generation "
                            + d.previouslyActive().getAsInt() + " stops handling events and is retired");
        }
        for (int retired : d.retired()) {
            GenerationState g = before.stream()
                    .filter(x -> x.generation() == retired)
                    .findFirst()
                    .orElseThrow();
            events.normal(
                    cluster,
                    EventRecorder.GENERATION_RETIRED,
                    "shard generation " + retired + " (" + g.shardCount() + " shards, StatefulSet " + g.statefulSet()
                            + ") retired");
        }
    }

    /** pause-reconcile: nothing is applied, restarted or respawned; the status says so. */
    private UpdateControl<ChopsticksCluster> pausedReconcile(
            ChopsticksCluster cluster, ChopsticksClusterStatus previous, Instant now) {
        boolean already = StatusRecorder.condition(previous, Conditions.PROGRESSING)
                .map(c -> Conditions.RECONCILE_PAUSED.equals(c.reason()))
                .orElse(false);
        if (!already) {
            events.normal(
                    cluster,
                    EventRecorder.RECONCILE_PAUSED,
                    "annotation " + Annotations.PAUSE_RECONCILE + " is set: reconciling stops until it is removed");
        }
        ChopsticksClusterStatus status = StatusRecorder.paused(cluster, now);
        return StatusRecorder.patchFor(cluster, status)
                .map(UpdateControl::patchStatus)
                .orElseGet(UpdateControl::noUpdate);
    }

    /** The cluster's shard generations as observed (StatefulSets, pods, Shards). */
    private static List<GenerationState> generations(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return RolloutObserver.generations(
                shardStatefulSets(cluster, context),
                ShardPods.byName(cluster, context).values(),
                shards(cluster, context));
    }

    private static List<StatefulSet> shardStatefulSets(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        return context.getSecondaryResourcesAsStream(StatefulSet.class)
                .filter(s -> ShardStatefulSet.isShardStatefulSetOf(cluster, s))
                .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    /**
     * ShardsPlanned / ShardsScaled once per change: the status says what was announced before (across operator
     * restarts), the in-memory record covers the moment before our own status write reaches the cache.
     */
    private void announcePlan(ChopsticksCluster cluster, ChopsticksClusterStatus previous, ShardPlan plan) {
        Integer before = previous == null ? null : previous.shards();
        if (before != null && before == plan.shards()) {
            announced.put(ResourceID.fromResource(cluster), plan.shards());
            return;
        }
        Integer last = announced.put(ResourceID.fromResource(cluster), plan.shards());
        if (last != null && last == plan.shards()) {
            return;
        }
        if (before == null) {
            events.normal(
                    cluster,
                    EventRecorder.SHARDS_PLANNED,
                    plan.shards() + " shards for " + plan.guilds() + " guilds in " + plan.pods() + " pods ("
                            + plan.shardsPerPod() + " per pod)");
        } else {
            events.normal(
                    cluster,
                    EventRecorder.SHARDS_SCALED,
                    "shards " + before + " -> " + plan.shards() + " for " + plan.guilds() + " guilds (" + plan.pods()
                            + " pods)");
        }
    }

    private UpdateControl<ChopsticksCluster> finish(
            ChopsticksCluster cluster, Context<ChopsticksCluster> context, Observed observed) {
        ChopsticksClusterStatus status = StatusRecorder.compute(cluster, observed, clock.instant());
        metrics.record(ResourceID.fromResource(cluster), status, shards(cluster, context));
        return StatusRecorder.patchFor(cluster, status)
                .map(UpdateControl::patchStatus)
                .orElseGet(UpdateControl::noUpdate);
    }

    /** The observe step for the status: migration, shard readiness, rollout, reshard, identify budget. */
    private Observed observe(
            ChopsticksCluster cluster,
            Context<ChopsticksCluster> context,
            Optional<ShardPlan> plan,
            Optional<Problem> problem,
            RolloutView view) {
        String jobName = MigrationJob.name(cluster);
        Optional<Job> job = migrationJobs(cluster, context).stream()
                .filter(j -> jobName.equals(j.getMetadata().getName()))
                .findFirst();
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
        List<StatefulSet> statefulSets = shardStatefulSets(cluster, context);
        if (view == null) {
            // before a plan (validation failed) or after a failed apply: the previous view of readiness, no rollout
            int ready = 0;
            long guilds = 0;
            for (Shard s : shards(cluster, context)) {
                if (s.getSpec() != null
                        && s.getSpec().shardCount() == total
                        && s.getStatus() != null
                        && s.getStatus().phase() == ShardPhase.Ready) {
                    ready++;
                    guilds += s.getStatus().guilds() == null ? 0 : s.getStatus().guilds();
                }
            }
            return new Observed(plan, problem, migration, jobName, failure, !statefulSets.isEmpty(), ready, guilds);
        }
        GenerationPlanner.Decision d = view.generationDecision();
        int target = d.live().get(d.live().size() - 1).generation();
        boolean deployed = statefulSets.stream().anyMatch(x -> RolloutObserver.generationOf(x) == target);
        int ready = 0;
        long guilds = 0;
        for (Shard s : shards(cluster, context)) {
            if (s.getSpec() == null || s.getStatus() == null || s.getStatus().phase() != ShardPhase.Ready) {
                continue;
            }
            int g = ShardGeneration.numberOf(s);
            if (g == target && s.getSpec().shardCount() == total) {
                ready++;
            }
            if (g == d.active()) {
                guilds += s.getStatus().guilds() == null ? 0 : s.getStatus().guilds();
            }
        }
        String reshard = null;
        if (d.pending().isPresent()) {
            int p = d.pending().getAsInt();
            GenerationState pg = view.generations().stream()
                    .filter(x -> x.generation() == p)
                    .findFirst()
                    .orElse(null);
            int pReady = pg == null ? 0 : pg.readyShards();
            int pShards = pg == null ? total : pg.shardCount();
            reshard = p == d.active()
                    ? "generation " + p + " is active; retiring generation "
                            + d.previouslyActive().orElse(0)
                    : "generation " + p + " (" + pShards + " shards) starting next to generation " + d.active()
                            + ", which keeps serving: " + pReady + "/" + pShards + " shards Ready";
        }
        return new Observed(
                plan,
                problem,
                migration,
                jobName,
                failure,
                deployed,
                ready,
                guilds,
                view.decision().progress(),
                d.active(),
                reshard,
                view.identify().orElse(null));
    }

    private void migrationEvents(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String jobName = MigrationJob.name(cluster);
        Optional<Job> job = migrationJobs(cluster, context).stream()
                .filter(j -> jobName.equals(j.getMetadata().getName()))
                .findFirst();
        if (context.managedWorkflowAndDependentResourceContext()
                .get(MigrationJob.CREATED_KEY, String.class)
                .isPresent()) {
            events.normal(
                    cluster,
                    EventRecorder.MIGRATION_STARTED,
                    "migration Job " + jobName + " started for image "
                            + cluster.getSpec().bot().image());
        }
        job.filter(j -> MigrationJob.state(j) == MigrationJob.State.FAILED)
                .ifPresent(j -> events.warning(
                        cluster,
                        EventRecorder.MIGRATION_FAILED,
                        "migration Job " + jobName + " failed: " + MigrationJob.failure(j)
                                + "; shards keep their current image (fix the image, or delete the Job to retry)"));
    }

    /** Once the current image's migration succeeded, older migration Jobs (and their pods) are deleted. */
    private void cleanUpMigrationJobs(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String current = MigrationJob.name(cluster);
        List<Job> jobs = migrationJobs(cluster, context);
        boolean currentSucceeded = jobs.stream()
                .anyMatch(j -> current.equals(j.getMetadata().getName())
                        && MigrationJob.state(j) == MigrationJob.State.SUCCEEDED);
        if (!currentSucceeded) {
            return;
        }
        for (Job old : jobs) {
            if (!current.equals(old.getMetadata().getName())
                    && old.getMetadata().getDeletionTimestamp() == null) {
                try {
                    context.getClient()
                            .resource(old)
                            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                            .delete();
                    events.normal(
                            cluster,
                            EventRecorder.MIGRATION_SUCCEEDED,
                            "migration Job " + current + " succeeded; removed superseded Job "
                                    + old.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    LOG.warn(
                            "could not delete superseded migration Job {}: HTTP {}",
                            old.getMetadata().getName(),
                            e.getCode());
                }
            }
        }
    }

    private static List<Job> migrationJobs(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = cluster.getMetadata().getName();
        return context.getSecondaryResourcesAsStream(Job.class)
                .filter(j -> j.getMetadata().getLabels() != null
                        && name.equals(j.getMetadata().getLabels().get(Labels.INSTANCE)))
                .toList();
    }

    private static List<Shard> shards(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = cluster.getMetadata().getName();
        return context.getSecondaryResourcesAsStream(Shard.class)
                .filter(s -> s.getMetadata().getLabels() != null
                        && name.equals(s.getMetadata().getLabels().get(Labels.CLUSTER)))
                .toList();
    }

    /**
     * A dependent that failed, as a Degraded problem. The message names the dependent and the HTTP status only:
     * API error bodies can echo object content, and the objects include Secrets.
     */
    static Optional<Problem> errorOf(WorkflowReconcileResult result) {
        Map<DependentResource, Exception> errors = result.getErroredDependents();
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String message = errors.entrySet().stream()
                .map(e -> e.getKey().getClass().getSimpleName() + ": " + describe(e.getValue()))
                .sorted()
                .collect(Collectors.joining("; "));
        errors.forEach((dependent, e) ->
                LOG.warn("dependent {} failed: {}", dependent.getClass().getSimpleName(), describe(e)));
        return Optional.of(new Problem(EventRecorder.RECONCILE_ERROR, "could not apply " + message));
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                String reason = k.getStatus() == null ? null : k.getStatus().getReason();
                return "HTTP " + k.getCode() + (reason == null ? "" : " " + reason);
            }
        }
        return e.getClass().getSimpleName();
    }
}
