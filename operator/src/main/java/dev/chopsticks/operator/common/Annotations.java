package dev.chopsticks.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;

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
    /** On a shard StatefulSet: its generation's shard count and shards per pod (the generation's layout). */
    public static final String SHARD_COUNT = "chopsticks.dev/shard-count";

    public static final String SHARDS_PER_POD = "chopsticks.dev/shards-per-pod";

    // Control annotations users put on a ChopsticksCluster.
    /** {@code "true"}: the operator reconciles nothing for this cluster (no apply, no restart, no respawn). */
    public static final String PAUSE_RECONCILE = "chopsticks.dev/pause-reconcile";
    /** An RFC 3339 time: shard pods created before it get one rolling restart once it has passed. */
    public static final String RESTART_AT = "chopsticks.dev/restart-at";

    // Restart records on Shard objects (operator-written; they make the rollout state survive operator restarts).
    /** When the rollout last deleted the shard's pod (RFC 3339). */
    public static final String RESTARTED_AT = "chopsticks.dev/restarted-at";
    /** Comma-separated RFC 3339 times of the operator's respawns of the shard within the last hour. */
    public static final String RESPAWNED_AT = "chopsticks.dev/respawned-at";
    /** Respawns of the shard by the operator, ever. */
    public static final String RESPAWN_COUNT = "chopsticks.dev/respawn-count";

    private Annotations() {}

    /** The {@value #POD_TEMPLATE_HASH} of a shard StatefulSet or pod; null when it has none. */
    public static String podTemplateHash(HasMetadata resource) {
        var annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(POD_TEMPLATE_HASH);
    }
}
