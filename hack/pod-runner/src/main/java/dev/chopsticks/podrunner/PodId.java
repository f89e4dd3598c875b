package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/** One incarnation of a Pod: a StatefulSet recreates a Pod under the same name with a new UID. */
public record PodId(String namespace, String name, String uid) {
    public static PodId of(Pod pod) {
        var meta = pod.getMetadata();
        return new PodId(meta.getNamespace(), meta.getName(), meta.getUid());
    }

    /** This incarnation as the API server has it now; null when it is gone or a new UID replaced it. */
    Pod fetch(KubernetesClient client) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        return pod != null && Objects.equals(pod.getMetadata().getUid(), uid) ? pod : null;
    }

    @Override
    public String toString() {
        return namespace + "/" + name + " (uid " + uid + ")";
    }
}
