package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;

/** Names of the resources the operator creates for a cluster. */
public final class Names {
    /**
     * Longest cluster name the operator accepts: keeps "<cluster>-migrate-<10 hex>" (a Job name that becomes a
     * label value) and the StatefulSets' controller-revision-hash labels within 63 characters.
     */
    public static final int MAX_CLUSTER_NAME = 40;

    private Names() {}

    private static String n(ChopsticksCluster c) {
        return c.getMetadata().getName();
    }

    /** The shard StatefulSet of generation 1. */
    public static String shardStatefulSet(ChopsticksCluster c) {
        return n(c) + "-shards";
    }

    /**
     * The shard StatefulSet of a generation: {@code <cluster>-shards} for generation 1 (the name clusters had before
     * resharding generations existed), {@code <cluster>-shards-g<N>} from generation 2.
     */
    public static String shardStatefulSet(ChopsticksCluster c, int generation) {
        return generation <= 1 ? shardStatefulSet(c) : shardStatefulSet(c) + "-g" + generation;
    }

    public static String shardPod(ChopsticksCluster c, int ordinal) {
        return shardStatefulSet(c) + "-" + ordinal;
    }

    public static String shardPod(ChopsticksCluster c, int generation, int ordinal) {
        return shardStatefulSet(c, generation) + "-" + ordinal;
    }

    /** The ConfigMap that publishes the active shard generation to the bots. */
    public static String generationConfigMap(ChopsticksCluster c) {
        return n(c) + "-generation";
    }

    public static String shardService(ChopsticksCluster c) {
        return n(c) + "-shards";
    }

    public static String shardObject(ChopsticksCluster c, int shardId) {
        return shardObject(n(c), shardId);
    }

    public static String shardObject(String cluster, int shardId) {
        return cluster + "-" + shardId;
    }

    /** {@code <cluster>-<id>} in generation 1, {@code <cluster>-g<N>-<id>} from generation 2. */
    public static String shardObject(ChopsticksCluster c, int generation, int shardId) {
        return shardObjectPrefix(n(c), generation) + shardId;
    }

    /** What a Shard's name is in its generation before the shard id (the bots get it as SHARD_NAME_PREFIX). */
    public static String shardObjectPrefix(String cluster, int generation) {
        return generation <= 1 ? cluster + "-" : cluster + "-g" + generation + "-";
    }

    public static String shardDisruptionBudget(ChopsticksCluster c) {
        return n(c) + "-shards";
    }

    public static String shardServiceMonitor(ChopsticksCluster c) {
        return n(c) + "-shards";
    }

    public static String botServiceAccount(ChopsticksCluster c) {
        return n(c) + "-bot";
    }

    public static String botRole(ChopsticksCluster c) {
        return n(c) + "-bot";
    }

    public static String botRoleBinding(ChopsticksCluster c) {
        return n(c) + "-bot";
    }

    public static String redis(ChopsticksCluster c) {
        return n(c) + "-redis";
    }

    public static String redisConfig(ChopsticksCluster c) {
        return n(c) + "-redis-config";
    }

    public static String redisPassword(ChopsticksCluster c) {
        return n(c) + "-redis-auth";
    }

    public static String pgbouncer(ChopsticksCluster c) {
        return n(c) + "-pgbouncer";
    }

    public static String pgbouncerConfig(ChopsticksCluster c) {
        return n(c) + "-pgbouncer-config";
    }

    public static String pgbouncerAuth(ChopsticksCluster c) {
        return n(c) + "-pgbouncer-auth";
    }

    public static String migrationJob(ChopsticksCluster c, String hash) {
        return n(c) + "-migrate-" + hash;
    }

    public static String dashboard(ChopsticksCluster c) {
        return n(c) + "-dashboard";
    }

    public static String redisNetworkPolicy(ChopsticksCluster c) {
        return n(c) + "-redis";
    }

    public static String pgbouncerNetworkPolicy(ChopsticksCluster c) {
        return n(c) + "-pgbouncer";
    }

    public static String shardNetworkPolicy(ChopsticksCluster c) {
        return n(c) + "-shards";
    }

    public static String dashboardNetworkPolicy(ChopsticksCluster c) {
        return n(c) + "-dashboard";
    }

    public static String migrationsNetworkPolicy(ChopsticksCluster c) {
        return n(c) + "-migrations";
    }
}
