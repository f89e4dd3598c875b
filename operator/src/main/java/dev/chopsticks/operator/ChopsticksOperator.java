package dev.chopsticks.operator;

import dev.chopsticks.operator.config.OperatorConfig;
import dev.chopsticks.operator.config.OperatorConfigException;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.events.PlanEvents;
import dev.chopsticks.operator.http.OperatorHealth;
import dev.chopsticks.operator.intake.ClusterReading;
import dev.chopsticks.operator.metrics.ClusterMetricsHook;
import dev.chopsticks.operator.metrics.OperatorMetrics;
import dev.chopsticks.operator.migrations.MigrationJobs;
import dev.chopsticks.operator.validation.ValidationLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled operator: JOSDK {@link Operator} with server-side apply for every owned kind (ConfigMaps and
 * Secrets included), Micrometer metrics, optional Lease-based leader election, and the cluster reconciler
 * registered for the configured namespaces. Used by {@link OperatorMain}, the integration tests and the
 * convergence benchmark alike.
 */
public final class ChopsticksOperator implements AutoCloseable, OperatorHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ChopsticksOperator.class);

    private final Operator operator;
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Why the operator cannot work any more: the start failed or an informer stopped (null while it can). */
    private final AtomicReference<String> broken = new AtomicReference<>();

    private final OperatorConfig config;

    public ChopsticksOperator(KubernetesClient client, OperatorConfig config, OperatorMetrics metrics) {
        this(client, config, metrics, resolveLeaseNamespace(client, config));
    }

    private ChopsticksOperator(
            KubernetesClient client, OperatorConfig config, OperatorMetrics metrics, String leaseNamespace) {
        if (!ClusterReading.tolerates(client.getKubernetesSerialization())) {
            throw new IllegalArgumentException(
                    "the operator's client must be built with ClusterReading.clientBuilder():"
                            + " without it one unreadable ChopsticksCluster stops the informer for every cluster");
        }
        this.config = config;
        String identity = config.identity().orElse("chopsticks-operator");
        EventRecorder events = new EventRecorder(client, identity);
        var josdkMetrics = MicrometerMetrics.newMicrometerMetricsBuilder(metrics.registry())
                .collectingMetricsPerResource()
                .build();
        var allMetrics = new AggregatedMetrics(List.of(josdkMetrics, new ClusterMetricsHook(metrics, events)));
        Gauge.builder("chopsticks_operator_leader", leader, l -> l.get() ? 1 : 0)
                .description("1 while this replica holds the leader Lease (always 1 without leader election)")
                .register(metrics.registry());

        Clock clock = Clock.systemUTC();
        ApiContact contact = new ApiContact(clock);
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(allMetrics)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    // server-side apply with our field manager for every kind, ConfigMaps and Secrets included
                    .withDefaultNonSSAResource(Set.of())
                    .withUseSSAToPatchPrimaryResource(true)
                    // JOSDK's default exits the JVM: /healthz reports it instead, and the liveness probe restarts
                    .withInformerStoppedHandler((informer, e) -> broke("informer "
                            + informer.getApiTypeClass().getSimpleName() + " stopped: "
                            + (e == null ? "no error" : e.getClass().getSimpleName())));
            if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        config.leaseName(),
                        leaseNamespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        identity,
                        new LeaderCallbacks(
                                () -> {
                                    leader.set(true);
                                    contact.restarted();
                                    LOG.info(
                                            "leader election: {} is now the leader (Lease {}/{})",
                                            identity,
                                            leaseNamespace,
                                            config.leaseName());
                                },
                                () -> {
                                    leader.set(false);
                                    if (!closing.get()) {
                                        // Lost the Lease while running: exit so no two replicas ever reconcile at once.
                                        // (Not
                                        // JOSDK's exitOnStopLeading: that also fires on a normal shutdown, inside the
                                        // shutdown hook.)
                                        LOG.error("leader election: {} lost the Lease; exiting", identity);
                                        new Thread(() -> System.exit(1), "lost-leadership-exit").start();
                                    }
                                },
                                newLeader -> LOG.info("leader election: current leader is {}", newLeader)),
                        false));
            }
        });
        var reconciler = new ChopsticksClusterReconciler(
                clock,
                contact,
                new ValidationLimits(config.maxPlannedShards()),
                new PlanEvents(events),
                new MigrationJobs(events),
                ShardRollout.recordingTo(events),
                new StatusReport(events, metrics, clock));
        operator.register(reconciler, o -> {
            if (config.watchesAllNamespaces()) {
                o.watchingAllNamespaces();
            } else {
                o.settingNamespaces(config.watchNamespaces());
            }
            o.withReconciliationMaxInterval(config.resyncInterval());
        });
        if (!config.leaderElection()) {
            leader.set(true);
        }
    }

    /** Leader election needs a namespace: explicit, POD_NAMESPACE, in-cluster, or the kubeconfig's. */
    static String resolveLeaseNamespace(KubernetesClient client, OperatorConfig config) {
        if (!config.leaderElection()) {
            return null;
        }
        String ns = config.leaseNamespace()
                .orElseGet(() -> client.getConfiguration().getNamespace());
        if (ns == null || ns.isBlank()) {
            throw new OperatorConfigException(
                    OperatorConfig.LEADER_ELECTION_NAMESPACE,
                    "is not set and no namespace could be inferred (POD_NAMESPACE, in-cluster service account, kubeconfig "
                            + "context); set it, or set LEADER_ELECTION_ENABLED=false for a single local replica");
        }
        return ns;
    }

    /** Starts informers and, with leader election, campaigns for the Lease (reconciles start once leading). */
    public void start() {
        try {
            operator.start();
        } catch (RuntimeException e) {
            broke("start failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
        started.set(true);
    }

    private void broke(String why) {
        if (!closing.get() && broken.compareAndSet(null, why)) {
            LOG.error("chopsticks-operator cannot go on: {}; /healthz reports unhealthy from now on", why);
        }
    }

    /** Why the operator cannot work any more (its start failed or an informer stopped), if so. */
    public Optional<String> broken() {
        return Optional.ofNullable(broken.get());
    }

    @Override
    public boolean isStarted() {
        return started.get() && operator.getRuntimeInfo().isStarted();
    }

    @Override
    public boolean isLeader() {
        return leader.get();
    }

    @Override
    public boolean isHealthy() {
        if (broken.get() != null) {
            return false;
        }
        if (!started.get()) {
            return true; // starting
        }
        return !leader.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    public OperatorConfig config() {
        return config;
    }

    public Operator operator() {
        return operator;
    }

    @Override
    public void close() {
        closing.set(true);
        operator.stop();
    }
}
