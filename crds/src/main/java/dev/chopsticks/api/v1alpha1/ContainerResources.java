package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** CPU and memory of a container, as Kubernetes quantities (e.g. cpu: 500m, memory: 512Mi). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerResources(
        @JsonPropertyDescription("Resources the scheduler reserves, e.g. {cpu: 250m, memory: 384Mi}.")
        Map<String, String> requests,

        @JsonPropertyDescription("Hard limits, e.g. {memory: 512Mi}.")
        Map<String, String> limits) {

    public ContainerResources {
        requests = requests == null ? Map.of() : Map.copyOf(requests);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }
}
