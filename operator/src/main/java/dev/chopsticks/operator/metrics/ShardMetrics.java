package dev.chopsticks.operator.metrics;

import dev.chopsticks.api.v1alpha1.ChopsticksClusterStatus;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.status.Conditions;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-shard and per-cluster gauges the Helm chart's alerts and Grafana dashboard use (the contract in
 * hack/test/chart-test-metrics.txt): shard ready, phase, guilds and gateway ping {namespace, cluster, shard,
 * generation}, identify budget remaining and rollout halted {namespace, cluster}. Updated from what a reconcile
 * already holds (the cluster status it computed and the Shards in the informer cache), so it costs no API calls. A
 * series whose Shard (or value) is gone is removed: no stale series after a reshard or a deleted cluster.
 */
public final class ShardMetrics {
    public static final String SHARD_READY = "chopsticks_shard_ready";
    public static final String SHARD_PHASE = "chopsticks_shard_phase";
    public static final String SHARD_GUILDS = "chopsticks_shard_guilds";
    public static final String GATEWAY_PING_MS = "chopsticks_gateway_ping_ms";
    public static final String IDENTIFY_REMAINING = "chopsticks_identify_remaining";
    public static final String ROLLOUT_HALTED = "chopsticks_rollout_halted";

    private final MeterRegistry registry;
    private final Map<ResourceID, ClusterSeries> clusters = new ConcurrentHashMap<>();

    public ShardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the cluster's series from its status and its Shards (deleted or terminating Shards drop out). */
    public void record(ResourceID cluster, ChopsticksClusterStatus status, Collection<Shard> shards) {
        ClusterSeries series = clusters.computeIfAbsent(cluster, id -> new ClusterSeries(clusterTags(id)));
        synchronized (series) {
            series.update(status, shards);
        }
    }

    /** Removes every series of the cluster. */
    public void forget(ResourceID cluster) {
        ClusterSeries series = clusters.remove(cluster);
        if (series != null) {
            synchronized (series) {
                series.removeAll();
            }
        }
    }

    /** The identify budget remaining: the cluster status, else the lowest any Shard reported; empty when unknown. */
    static OptionalDouble identifyRemaining(ChopsticksClusterStatus status, Collection<Shard> shards) {
        if (status != null && status.identify() != null && status.identify().remaining() != null) {
            return OptionalDouble.of(status.identify().remaining());
        }
        return shards.stream()
                .map(Shard::getStatus)
                .filter(Objects::nonNull)
                .map(ShardStatus::identifyRemaining)
                .filter(Objects::nonNull)
                .mapToDouble(Integer::doubleValue)
                .min();
    }

    /** Whether the rollout is halted: status.rollout.haltedReason, or a RolloutHalted condition that is True. */
    static boolean rolloutHalted(ChopsticksClusterStatus status) {
        if (status == null) {
            return false;
        }
        if (status.rollout() != null && status.rollout().haltedReason() != null) {
            return true;
        }
        return status.conditions() != null
                && status.conditions().stream()
                        .filter(ShardMetrics::isTrue)
                        .anyMatch(c -> Conditions.ROLLOUT_HALTED.equals(c.type())
                                || Conditions.ROLLOUT_HALTED.equals(c.reason()));
    }

    private static boolean isTrue(StatusCondition c) {
        return "True".equals(c.status());
    }

    private static Tags clusterTags(ResourceID id) {
        return Tags.of("namespace", id.getNamespace().orElse(""), "cluster", id.getName());
    }

    /** One cluster's series. */
    private final class ClusterSeries {
        private final Tags tags;
        private final Slot identify;
        private final Slot halted;
        private final Map<ShardKey, ShardSeries> shards = new HashMap<>();

        ClusterSeries(Tags tags) {
            this.tags = tags;
            this.identify = new Slot(IDENTIFY_REMAINING, "Discord identify (session start) budget remaining", tags);
            this.halted = new Slot(ROLLOUT_HALTED, "1 while the cluster's rolling restart is halted", tags);
        }

        void update(ChopsticksClusterStatus status, Collection<Shard> all) {
            identify.set(identifyRemaining(status, all));
            halted.set(OptionalDouble.of(rolloutHalted(status) ? 1 : 0));
            Map<ShardKey, Shard> live = new HashMap<>();
            for (Shard s : all) {
                if (s.getSpec() != null
                        && s.getSpec().shardId() != null
                        && s.getMetadata().getDeletionTimestamp() == null) {
                    live.put(
                            new ShardKey(
                                    ShardGeneration.numberOf(s), s.getSpec().shardId()),
                            s);
                }
            }
            shards.entrySet().removeIf(e -> {
                if (!live.containsKey(e.getKey())) {
                    e.getValue().removeAll();
                    return true;
                }
                return false;
            });
            live.forEach((key, shard) -> shards.computeIfAbsent(key, k -> new ShardSeries(k.tags(tags)))
                    .update(shard.getStatus()));
        }

        void removeAll() {
            identify.set(OptionalDouble.empty());
            halted.set(OptionalDouble.empty());
            shards.values().forEach(ShardSeries::removeAll);
            shards.clear();
        }
    }

    private record ShardKey(int generation, int shard) {
        Tags tags(Tags cluster) {
            return cluster.and("shard", Integer.toString(shard), "generation", Integer.toString(generation));
        }
    }

    /** One Shard's series: ready, one phase series per phase, guilds and ping while reported. */
    private final class ShardSeries {
        private final Slot ready;
        private final Map<ShardPhase, Slot> phases = new EnumMap<>(ShardPhase.class);
        private final Slot guilds;
        private final Slot ping;

        ShardSeries(Tags tags) {
            ready = new Slot(SHARD_READY, "1 when the shard's bot reports phase Ready", tags);
            for (ShardPhase p : ShardPhase.values()) {
                phases.put(
                        p,
                        new Slot(
                                SHARD_PHASE,
                                "1 for the shard's current phase as reported by its bot",
                                tags.and("phase", p.name())));
            }
            guilds = new Slot(SHARD_GUILDS, "Guilds the shard holds, as reported by its bot", tags);
            ping = new Slot(GATEWAY_PING_MS, "Last gateway heartbeat round trip of the shard in milliseconds", tags);
        }

        void update(ShardStatus status) {
            ShardPhase phase = status == null ? null : status.phase();
            ready.set(OptionalDouble.of(phase == ShardPhase.Ready ? 1 : 0));
            phases.forEach((p, slot) -> slot.set(OptionalDouble.of(p == phase ? 1 : 0)));
            guilds.set(
                    status == null || status.guilds() == null
                            ? OptionalDouble.empty()
                            : OptionalDouble.of(status.guilds()));
            ping.set(
                    status == null || status.gatewayPingMs() == null
                            ? OptionalDouble.empty()
                            : OptionalDouble.of(status.gatewayPingMs()));
        }

        void removeAll() {
            ready.set(OptionalDouble.empty());
            phases.values().forEach(s -> s.set(OptionalDouble.empty()));
            guilds.set(OptionalDouble.empty());
            ping.set(OptionalDouble.empty());
        }
    }

    /** One series: registered while it has a value, removed from the registry when the value becomes unknown. */
    private final class Slot {
        private final String name;
        private final String description;
        private final Tags tags;
        private volatile double value;
        private Meter meter;

        Slot(String name, String description, Tags tags) {
            this.name = name;
            this.description = description;
            this.tags = tags;
        }

        void set(OptionalDouble v) {
            if (v.isPresent()) {
                value = v.getAsDouble();
                if (meter == null) {
                    meter = Gauge.builder(name, this, s -> s.value)
                            .tags(tags)
                            .description(description)
                            .register(registry);
                }
            } else if (meter != null) {
                registry.remove(meter);
                meter = null;
            }
        }
    }
}
