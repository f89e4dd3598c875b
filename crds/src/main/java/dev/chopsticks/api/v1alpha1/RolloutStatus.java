package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Rolling-restart progress; derived from the cluster each reconcile, so it survives operator restarts. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStatus(
        @JsonPropertyDescription("Hash of the shard pod template being rolled out.")
        String targetRevision,

        @JsonPropertyDescription("Shards already running the target revision.")
        Integer updatedShards,

        @JsonPropertyDescription("The identify bucket step in progress, e.g. 'bucket 3 of 16'.")
        String currentStep,

        @JsonPropertyDescription("Shard generation serving traffic (changes when the shard count changes).")
        Integer activeGeneration,

        @JsonPropertyDescription("Why the rollout is halted, if it is.")
        String haltedReason) {}
