package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downward API's {@code fieldRef} paths. Pod and host IPs are 127.0.0.1: the process listens on loopback,
 * whatever fake address kwok wrote into the Pod's status.
 */
final class FieldRefs {
    static final String LOOPBACK = "127.0.0.1";
    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    private FieldRefs() {}

    static String resolve(Pod pod, String fieldPath) {
        var meta = pod.getMetadata();
        Matcher m = SUBSCRIPT.matcher(fieldPath);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
            // A missing label or annotation reads as the empty string, as in the kubelet.
            return map == null ? "" : Objects.requireNonNullElse(map.get(m.group(2)), "");
        }
        return switch (fieldPath) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> Objects.requireNonNullElse(pod.getSpec().getNodeName(), "");
            case "spec.serviceAccountName" ->
                Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "");
            case "status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs" -> LOOPBACK;
            default -> throw new IllegalArgumentException("unsupported fieldRef path " + fieldPath);
        };
    }
}
