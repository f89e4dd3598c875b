package dev.chopsticks.operator.common;

/** Annotations the operator writes. */
public final class Annotations {
  /** Hash of the shard pod template (on the StatefulSet and its pods); the rollout logic compares them. */
  public static final String POD_TEMPLATE_HASH = "chopsticks.dev/pod-template-hash";
  /** Hash of a mounted configuration, so a change rolls the Deployment/StatefulSet. */
  public static final String CONFIG_HASH = "chopsticks.dev/config-hash";
  /** Hash of mounted credentials (never the credentials), so a rotated password rolls PgBouncer. */
  public static final String AUTH_HASH = "chopsticks.dev/auth-hash";
  /** The image a migration Job migrates to. */
  public static final String MIGRATION_IMAGE = "chopsticks.dev/migration-image";

  private Annotations() {}
}
