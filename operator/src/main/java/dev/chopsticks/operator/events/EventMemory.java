package dev.chopsticks.operator.events;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The operator's only memory of what it has told about a cluster: per cluster and key, the value last announced
 * (a warning's message, the announced shard count, the announced rollout). It spares repeated Events between two
 * reconciles, before the operator's own status write reaches the informer cache; the decisions themselves never read
 * it. {@link #forget} drops a deleted cluster, so a cluster created again under the same name starts afresh.
 */
public final class EventMemory {
    private final Map<ResourceID, Map<String, Object>> byCluster = new ConcurrentHashMap<>();

    /** Remembers {@code value} under {@code key}; returns the value it replaces. */
    public Optional<Object> put(ResourceID cluster, String key, Object value) {
        return Optional.ofNullable(byCluster
                .computeIfAbsent(cluster, k -> new ConcurrentHashMap<>())
                .put(key, value));
    }

    public <T> Optional<T> get(ResourceID cluster, String key, Class<T> type) {
        Map<String, Object> values = byCluster.get(cluster);
        return values == null
                ? Optional.empty()
                : Optional.ofNullable(values.get(key)).filter(type::isInstance).map(type::cast);
    }

    /** Forgets the cluster's keys that match. */
    public void removeIf(ResourceID cluster, Predicate<String> key) {
        Map<String, Object> values = byCluster.get(cluster);
        if (values != null) {
            values.keySet().removeIf(key);
        }
    }

    /** The cluster is gone. */
    public void forget(ResourceID cluster) {
        byCluster.remove(cluster);
    }

    /** Clusters with anything remembered (for tests and leak checks). */
    public int clusters() {
        return byCluster.size();
    }
}
