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

  public static String shardStatefulSet(ChopsticksCluster c) {
    return n(c) + "-shards";
  }

  public static String shardPod(ChopsticksCluster c, int ordinal) {
    return shardStatefulSet(c) + "-" + ordinal;
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
}
