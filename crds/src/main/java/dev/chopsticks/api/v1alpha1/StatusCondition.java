package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Kubernetes-style condition (the shape of metav1.Condition), described field by field for kubectl explain. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusCondition(
        @Required @JsonPropertyDescription("Condition type: Ready, Progressing or Degraded.")
        String type,

        @Required @JsonPropertyDescription("True, False or Unknown.")
        String status,

        @JsonPropertyDescription("One-word CamelCase reason for the last transition.")
        String reason,

        @JsonPropertyDescription("Human-readable detail of the last transition.")
        String message,

        @JsonPropertyDescription("When the status last changed (RFC 3339).")
        String lastTransitionTime,

        @JsonPropertyDescription("The metadata.generation the condition was computed from.")
        Long observedGeneration) {}
