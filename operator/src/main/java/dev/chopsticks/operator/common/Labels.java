package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import java.util.Map;
import java.util.TreeMap;

/** The labels every owned resource carries, and the label selectors the operator's informers use. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";

    public static final String APP = "chopsticks";
    public static final String MANAGER = "chopsticks-operator";

    /** On Shard objects: the owning cluster, the shard id, the shard generation and its shard count. */
    public static final String CLUSTER = "chopsticks.dev/cluster";

    public static final String SHARD_ID = "chopsticks.dev/shard-id";
    /**
     * Shard generation (1 = the first StatefulSet; a reshard runs generation N+1 next to N until it is Ready). On
     * Shards and shard StatefulSets always; on the pods (and in the StatefulSet selector) of generations 2 and up.
     */
    public static final String GENERATION = "chopsticks.dev/generation";

    public static final String SHARD_COUNT = "chopsticks.dev/shard-count";

    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;
    // Per-component informer selectors (annotation values must be compile-time constants).
    public static final String SELECT_SHARD = MANAGED_SELECTOR + "," + COMPONENT + "=shard";
    public static final String SELECT_REDIS = MANAGED_SELECTOR + "," + COMPONENT + "=redis";
    public static final String SELECT_PGBOUNCER = MANAGED_SELECTOR + "," + COMPONENT + "=pgbouncer";
    public static final String SELECT_MIGRATIONS = MANAGED_SELECTOR + "," + COMPONENT + "=migrations";
    public static final String SELECT_DASHBOARD = MANAGED_SELECTOR + "," + COMPONENT + "=dashboard";
    public static final String SELECT_BOT_RBAC = MANAGED_SELECTOR + "," + COMPONENT + "=bot-rbac";

    private Labels() {}

    /** name, instance, component, managed-by, part-of. */
    public static Map<String, String> common(ChopsticksCluster cluster, Component component) {
        Map<String, String> labels = new TreeMap<>(selector(cluster, component));
        labels.put(MANAGED_BY, MANAGER);
        labels.put(PART_OF, APP);
        return labels;
    }

    /** The immutable subset used in Deployment/StatefulSet selectors, Services and NetworkPolicies. */
    public static Map<String, String> selector(ChopsticksCluster cluster, Component component) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, APP);
        labels.put(INSTANCE, cluster.getMetadata().getName());
        labels.put(COMPONENT, component.label());
        return labels;
    }
}
