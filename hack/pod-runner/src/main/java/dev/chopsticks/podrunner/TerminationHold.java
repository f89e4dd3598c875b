package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finalizer that keeps a deleted Pod Terminating until its process has exited. kwok's pod-delete stage deletes a
 * Pod with grace period 0 as soon as it is marked for deletion, so without it a StatefulSet recreates the Pod while
 * the old process is still shutting down, which a real kubelet never lets happen.
 */
final class TerminationHold {
    static final String FINALIZER = "pod-runner.chopsticks.dev/process";
    private static final Logger LOG = LoggerFactory.getLogger(TerminationHold.class);
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;

    TerminationHold(KubernetesClient client) {
        this.client = client;
    }

    static boolean holds(Pod pod) {
        return pod.getMetadata().getFinalizers().contains(FINALIZER);
    }

    /** Adds the finalizer; false when the Pod is gone, replaced or already being deleted (no process then). */
    boolean add(PodId id) {
        return change(id, true);
    }

    /** Removes the finalizer, if that Pod incarnation still exists. */
    void release(PodId id) {
        change(id, false);
    }

    private boolean change(PodId id, boolean add) {
        for (int attempt = 1; ; attempt++) {
            Pod pod = id.fetch(client);
            if (pod == null) {
                return false;
            }
            boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
            if (add && terminating) {
                return false;
            }
            if (holds(pod) == add) {
                return true;
            }
            List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
            if (add) {
                finalizers.add(FINALIZER);
            } else {
                finalizers.remove(FINALIZER);
            }
            pod.getMetadata().setFinalizers(finalizers);
            try {
                // update() sends the resourceVersion we read: a concurrent writer makes it fail with 409, never lost.
                client.pods().inNamespace(id.namespace()).resource(pod).update();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return false;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
                    LOG.warn("could not {} finalizer on {}: {}", add ? "add" : "remove", id, e.getMessage());
                    return false;
                }
            }
        }
    }
}
