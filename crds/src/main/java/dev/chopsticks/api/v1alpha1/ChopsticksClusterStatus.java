package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state, written only by the operator. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChopsticksClusterStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("Summary: Pending, Progressing, Ready or Degraded.")
        ClusterPhase phase,

        @JsonPropertyDescription("Conditions Ready, Progressing and Degraded.")
        List<StatusCondition> conditions,

        @JsonPropertyDescription("Shards the cluster runs (the computed shard count).")
        Integer shards,

        @JsonPropertyDescription("Shards whose bot reports Ready.")
        Integer readyShards,

        @JsonPropertyDescription("Guilds held by Ready shards, as reported by the bots.")
        Long guilds,

        @JsonPropertyDescription("Discord identify budget as last seen.")
        IdentifyStatus identify,

        @JsonPropertyDescription("Progress of the current rolling restart or reshard.")
        RolloutStatus rollout) {}
