package dev.chopsticks.operator.metrics;

import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.ClusterPhase;
import dev.chopsticks.api.v1alpha1.Shard;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operator's own gauges next to JOSDK's: per cluster shards, ready shards, guilds and degraded, plus the
 * number of clusters and API requests by method.
 */
public final class OperatorMetrics {
    private final MeterRegistry registry;
    private final ApiRequestCounter requests;
    private final Map<ResourceID, ClusterGauges> clusters = new ConcurrentHashMap<>();
    private final ShardMetrics shards;
    private final LongAdder reconciles = new LongAdder();

    private static final class ClusterGauges {
        volatile double shards;
        volatile double ready;
        volatile double guilds;
        volatile double degraded;
        List<Meter> meters;
    }

    public OperatorMetrics(MeterRegistry registry, ApiRequestCounter requests) {
        this.registry = registry;
        this.requests = requests;
        this.shards = new ShardMetrics(registry);
        Gauge.builder("chopsticks_operator_clusters", clusters, Map::size)
                .description("ChopsticksClusters reconciled by this operator")
                .register(registry);
        FunctionCounter.builder("chopsticks_operator_reconciles", reconciles, LongAdder::sum)
                .description("Cluster reconciles completed")
                .register(registry);
        for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            FunctionCounter.builder("chopsticks_operator_api_requests", requests, r -> r.count(method))
                    .description("Kubernetes API requests made by the operator")
                    .tag("method", method)
                    .register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    public ApiRequestCounter requests() {
        return requests;
    }

    /** Records the cluster's status and its Shards' series (see {@link ShardMetrics}). */
    public void record(ResourceID cluster, ChopsticksClusterStatus status, Collection<Shard> clusterShards) {
        record(cluster, status);
        shards.record(cluster, status, clusterShards);
    }

    public void record(ResourceID cluster, ChopsticksClusterStatus status) {
        reconciles.increment();
        ClusterGauges g = clusters.computeIfAbsent(cluster, this::register);
        g.shards = status.shards() == null ? 0 : status.shards();
        g.ready = status.readyShards() == null ? 0 : status.readyShards();
        g.guilds = status.guilds() == null ? 0 : status.guilds();
        g.degraded = status.phase() == ClusterPhase.Degraded ? 1 : 0;
    }

    /** Reconciles completed so far (all clusters). */
    public long reconciles() {
        return reconciles.sum();
    }

    public void forget(ResourceID cluster) {
        shards.forget(cluster);
        ClusterGauges g = clusters.remove(cluster);
        if (g != null) {
            g.meters.forEach(registry::remove);
        }
    }

    private ClusterGauges register(ResourceID id) {
        ClusterGauges g = new ClusterGauges();
        Tags tags = Tags.of("namespace", id.getNamespace().orElse(""), "cluster", id.getName());
        g.meters = List.of(
                Gauge.builder("chopsticks_cluster_shards", g, x -> x.shards)
                        .tags(tags)
                        .description("Shards the cluster runs")
                        .register(registry),
                Gauge.builder("chopsticks_cluster_ready_shards", g, x -> x.ready)
                        .tags(tags)
                        .description("Shards whose bot reports Ready")
                        .register(registry),
                Gauge.builder("chopsticks_cluster_guilds", g, x -> x.guilds)
                        .tags(tags)
                        .description("Guilds held by Ready shards")
                        .register(registry),
                Gauge.builder("chopsticks_cluster_degraded", g, x -> x.degraded)
                        .tags(tags)
                        .description("1 when the cluster is Degraded")
                        .register(registry));
        return g;
    }
}
