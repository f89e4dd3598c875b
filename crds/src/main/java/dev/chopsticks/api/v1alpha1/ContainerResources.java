package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** CPU and memory of a container, as Kubernetes quantities (e.g. cpu: 500m, memory: 512Mi). */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value =
                "!has(self.requests) || self.requests.all(k, k.matches('^[a-z0-9.-]+(/[a-z0-9.-]+)?$') && isQuantity(self.requests[k]))",
        message = "resources.requests values must be Kubernetes quantities such as 250m" + " or 512Mi",
        fieldPath = ".requests",
        reason = "FieldValueForbidden")
@ValidationRule(
        value =
                "!has(self.limits) || self.limits.all(k, k.matches('^[a-z0-9.-]+(/[a-z0-9.-]+)?$') && isQuantity(self.limits[k]))",
        message = "resources.limits values must be Kubernetes quantities such as 250m" + " or 512Mi",
        fieldPath = ".limits",
        reason = "FieldValueForbidden")
public record ContainerResources(
        @JsonPropertyDescription("Resources the scheduler reserves, e.g. {cpu: 250m, memory: 384Mi}.") @Size(max = 16)
        Map<String, @Size(max = 64) String> requests,

        @JsonPropertyDescription("Hard limits, e.g. {memory: 512Mi}.") @Size(max = 16)
        Map<String, @Size(max = 64) String> limits) {

    public ContainerResources {
        requests = requests == null ? Map.of() : Map.copyOf(requests);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }
}
