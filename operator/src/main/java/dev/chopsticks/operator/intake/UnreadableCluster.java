package dev.chopsticks.operator.intake;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The first check of a reconcile: a cluster that reached the reconciler without a spec ({@link ClusterReading}) is
 * reported, never reconciled. The reason is found by reading the object again as plain JSON and deserializing it
 * strictly, so the message names the field and what is wrong with it ({@code spec.sharding.shards: Numeric value
 * (3000000000) out of range of int}); one GET, only for such a cluster.
 */
public final class UnreadableCluster {
    private static final KubernetesSerialization STRICT = new KubernetesSerialization();
    private static final int MAX_DETAIL = 200;
    private static final String AFTER = "; nothing is applied, restarted or respawned for this cluster until it is"
            + " fixed (the installed CRD is likely older or looser than the operator's: apply crds/)";

    private UnreadableCluster() {}

    /** Why the cluster cannot be reconciled, when it has no spec. */
    public static Optional<Problem> check(ChopsticksCluster cluster, KubernetesClient client) {
        if (cluster.getSpec() != null) {
            return Optional.empty();
        }
        var meta = cluster.getMetadata();
        GenericKubernetesResource raw = client.genericKubernetesResources(cluster.getApiVersion(), cluster.getKind())
                .inNamespace(meta.getNamespace())
                .withName(meta.getName())
                .get();
        return Optional.of(new Problem(EventReason.SPEC_UNREADABLE, describe(raw) + AFTER));
    }

    static String describe(GenericKubernetesResource raw) {
        if (raw == null || raw.getAdditionalProperties().get("spec") == null) {
            return "spec is missing";
        }
        try {
            STRICT.convertValue(raw, ChopsticksCluster.class);
            return "spec could not be read when the operator received it";
        } catch (IllegalArgumentException e) {
            return describe(e);
        }
    }

    static String describe(Throwable e) {
        return describe(e, "spec");
    }

    /**
     * The failing field's path and Jackson's reason (first line, bounded): no more of the object than that; {@code
     * part} names what failed when Jackson names no field.
     */
    static String describe(Throwable e, String part) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                String path = m.getPath().stream()
                        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining())
                        .substring(1);
                return path + " cannot be read: " + firstLine(m.getOriginalMessage());
            }
        }
        return part + " cannot be read: " + e.getClass().getSimpleName();
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
    }
}
