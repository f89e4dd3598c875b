package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which Discord shard this object stands for. Written by the operator only. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "self.shardId < self.shardCount",
        message = "shardId must be less than shardCount",
        fieldPath = ".shardId",
        reason = "FieldValueForbidden")
public record ShardSpec(
        @Required
        @Size(min = 1, max = 63)
        @JsonPropertyDescription("Name of the ChopsticksCluster this shard belongs to.")
        String cluster,

        @Required
        @Min(0)
        @JsonPropertyDescription(
                "Discord shard id, 0-based: the shard receives guilds with (guild_id >> 22) % shardCount == shardId.")
        Integer shardId,

        @Required
        @Min(1)
        @JsonPropertyDescription(
                "Total number of shards of this shard generation (the second element of IDENTIFY's shard array).")
        Integer shardCount,

        @Min(1)
        @JsonPropertyDescription(
                "Shard generation: 1 for the cluster's first shard StatefulSet, one more for each reshard that runs a new generation alongside the old one until it is Ready; absent means 1.")
        Integer generation) {

    /** A shard of generation 1. */
    public ShardSpec(String cluster, Integer shardId, Integer shardCount) {
        this(cluster, shardId, shardCount, null);
    }
}
