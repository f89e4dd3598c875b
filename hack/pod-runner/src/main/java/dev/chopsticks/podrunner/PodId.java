package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;

/** One incarnation of a Pod: a StatefulSet recreates a Pod under the same name with a new UID. */
public record PodId(String namespace, String name, String uid) {
    public static PodId of(Pod pod) {
        var meta = pod.getMetadata();
        return new PodId(meta.getNamespace(), meta.getName(), meta.getUid());
    }

    @Override
    public String toString() {
        return namespace + "/" + name + " (uid " + uid + ")";
    }
}
