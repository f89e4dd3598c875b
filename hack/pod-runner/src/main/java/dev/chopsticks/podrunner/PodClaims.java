package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How whoever plays a Pod's process tells the simulated cluster so (hack/kwok/pod-stages.yaml): kwok nodes run no
 * containers, so kwok shows a Pod Running only once an actor claimed it with {@link #RUN_BY}, and Succeeded/Failed
 * only once the actor reported an exit code with {@link #EXIT_CODE}. A Pod nobody claims stays Pending with reason
 * {@code NoProcess}. pod-runner claims the Pods it runs; tests that play a Pod's process claim it here too.
 */
public final class PodClaims {
    /** Who plays the Pod's process; kwok then marks the Pod Running (podIP, containerStatuses, conditions). */
    public static final String RUN_BY = "sim.chopsticks.dev/run-by";
    /** {@link #ACTOR_READINESS}: kwok starts the Pod not Ready and the actor writes Ready itself. */
    public static final String READINESS = "sim.chopsticks.dev/readiness";

    public static final String ACTOR_READINESS = "actor";
    /** The container's exit code (an integer): kwok marks the Pod Succeeded for 0, else Failed. */
    public static final String EXIT_CODE = "sim.chopsticks.dev/exit-code";
    /** Optional: shown as the terminated container's and the Pod's message. */
    public static final String MESSAGE = "sim.chopsticks.dev/message";
    /** What kwok's unclaimed-Pod stage writes as waiting reason, Pod reason and condition reason. */
    public static final String NO_PROCESS = "NoProcess";

    private static final Logger LOG = LoggerFactory.getLogger(PodClaims.class);
    private static final int UNPROCESSABLE = 422;

    private PodClaims() {}

    /** The annotations that claim a Pod for {@code actor}. */
    public static Map<String, String> running(String actor, boolean actorWritesReadiness) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(RUN_BY, actor);
        if (actorWritesReadiness) {
            out.put(READINESS, ACTOR_READINESS);
        }
        return out;
    }

    /** The annotations that say {@code actor} played the Pod's process to its end with {@code exitCode}. */
    public static Map<String, String> exited(String actor, int exitCode, String message) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(RUN_BY, actor);
        out.put(EXIT_CODE, Integer.toString(exitCode));
        out.put(MESSAGE, message);
        return out;
    }

    /** Whether the Pod already carries every one of {@code annotations}. */
    public static boolean has(Pod pod, Map<String, String> annotations) {
        Map<String, String> current =
                Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of());
        return current.entrySet().containsAll(annotations.entrySet());
    }

    /**
     * Sets {@code annotations} on this incarnation of the Pod (same UID); false when it is gone or replaced (nothing
     * to claim then). One JSON merge patch: no read first and no resourceVersion to conflict on, so claiming the 16
     * pods a StatefulSet recreates at once is not serialised behind retries; the UID in the patch makes the API
     * server refuse it (422) for a new Pod under the same name.
     */
    public static boolean annotate(KubernetesClient client, Pod pod, Map<String, String> annotations) {
        return annotate(client, PodId.of(pod), annotations);
    }

    static boolean annotate(KubernetesClient client, PodId id, Map<String, String> annotations) {
        String patch = client.getKubernetesSerialization()
                .asJson(Map.of("metadata", Map.of("uid", id.uid(), "annotations", annotations)));
        try {
            client.pods()
                    .inNamespace(id.namespace())
                    .withName(id.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            // 404: gone; 422 "metadata.uid: field is immutable": a new Pod under the same name
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == UNPROCESSABLE) {
                return false;
            }
            LOG.warn("could not annotate {} with {}: {}", id, annotations, e.getMessage());
            throw e;
        }
    }
}
