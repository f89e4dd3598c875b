package dev.chopsticks.operator.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * One shard pod as the planner sees it.
 *
 * @param name pod name
 * @param uid pod UID (a recreated pod has a new one)
 * @param ordinal StatefulSet ordinal
 * @param templateHash the pod's {@code chopsticks.dev/pod-template-hash}, null when absent
 * @param createdAt creationTimestamp (second precision)
 * @param terminating deletionTimestamp set
 * @param running phase Running
 * @param dead why the pod is dead (CrashLoopBackOff, Failed, Error), null when it is not
 * @param resourceVersion for a delete that fails when the pod changed since it was observed
 */
public record PodState(
        String name,
        String uid,
        int ordinal,
        String templateHash,
        Instant createdAt,
        boolean terminating,
        boolean running,
        String dead,
        String resourceVersion) {

    public PodState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isDead() {
        return dead != null;
    }
}
