package dev.chopsticks.podrunner;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The Kubernetes credentials a Pod incarnation's process gets, through {@code KUBECONFIG}. They replace only the
 * runner-level variables (inherited and {@code --env} ones): a {@code KUBECONFIG} the Pod's own env sets still wins,
 * as any variable of the Pod does.
 */
sealed interface PodCredentials {
    String KUBECONFIG = "KUBECONFIG";

    /** Changes the runner-level environment of the process to carry these credentials. */
    void applyTo(Map<String, String> runnerLevelEnv);

    /** Service-account tokens are off: whatever {@code KUBECONFIG} the runner passes on stays (today's behaviour). */
    record RunnerLevel() implements PodCredentials {
        @Override
        public void applyTo(Map<String, String> runnerLevelEnv) {}
    }

    /**
     * The Pod does not automount a token ({@code automountServiceAccountToken: false}): no credentials, so not the
     * runner's either.
     */
    record None() implements PodCredentials {
        @Override
        public void applyTo(Map<String, String> runnerLevelEnv) {
            runnerLevelEnv.remove(KUBECONFIG);
        }
    }

    /**
     * A kubeconfig holding the Pod's bound ServiceAccount token.
     *
     * @param file where it is, mode 0600; deleted when the incarnation ends
     * @param serviceAccount the ServiceAccount's name, for log lines
     * @param expiresAt when the token stops working: a process started later needs a new one
     * @param renewAt when to write a new token into the same file, as the kubelet does at 80% of the token's life
     *     (Fabric8 clients re-read their kubeconfig every minute)
     */
    record Kubeconfig(Path file, String serviceAccount, Instant expiresAt, Instant renewAt) implements PodCredentials {
        @Override
        public void applyTo(Map<String, String> runnerLevelEnv) {
            runnerLevelEnv.put(KUBECONFIG, file.toString());
        }
    }
}
