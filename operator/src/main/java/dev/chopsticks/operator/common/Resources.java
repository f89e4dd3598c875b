package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ContainerResources;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Container resources from the spec's string maps; null when nothing is set (so nothing is applied). */
public final class Resources {
    private Resources() {}

    public static ResourceRequirements of(ContainerResources spec) {
        if (spec == null || (spec.requests().isEmpty() && spec.limits().isEmpty())) {
            return null;
        }
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
        if (!spec.requests().isEmpty()) {
            b.withRequests(quantities(spec.requests()));
        }
        if (!spec.limits().isEmpty()) {
            b.withLimits(quantities(spec.limits()));
        }
        return b.build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> raw) {
        Map<String, Quantity> out = new TreeMap<>();
        raw.forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }
}
