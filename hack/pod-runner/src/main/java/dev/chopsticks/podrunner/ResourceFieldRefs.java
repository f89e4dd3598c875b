package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Best-effort {@code resourceFieldRef}: the value divided by the divisor, rounded up (the kubelet's rule). An unset
 * limit reads as this host's capacity (the kubelet uses the node's allocatable), an unset request as the limit when
 * there is one (the API server's defaulting) and zero otherwise.
 */
final class ResourceFieldRefs {
    private ResourceFieldRefs() {}

    static String resolve(Pod pod, Container self, ResourceFieldSelector ref, HostResources host) {
        Container container = self;
        if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
            container = pod.getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(ref.getContainerName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "resourceFieldRef names unknown container " + ref.getContainerName()));
        }
        String resource = ref.getResource();
        int dot = resource.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("unsupported resourceFieldRef " + resource);
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        var requirements = container.getResources();
        Map<String, Quantity> limits = requirements == null ? null : requirements.getLimits();
        Map<String, Quantity> requests = requirements == null ? null : requirements.getRequests();
        Quantity limit = limits == null ? null : limits.get(name);
        Quantity request = requests == null ? null : requests.get(name);
        BigDecimal value = switch (kind) {
            case "limits" -> limit != null ? Quantity.getAmountInBytes(limit) : hostCapacity(name, host);
            case "requests" ->
                request != null
                        ? Quantity.getAmountInBytes(request)
                        : limit != null ? Quantity.getAmountInBytes(limit) : BigDecimal.ZERO;
            default -> throw new IllegalArgumentException("unsupported resourceFieldRef " + resource);
        };
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static BigDecimal hostCapacity(String name, HostResources host) {
        return switch (name) {
            case "cpu" -> BigDecimal.valueOf(host.cpus());
            case "memory" -> BigDecimal.valueOf(host.memoryBytes());
            default -> BigDecimal.ZERO;
        };
    }
}
