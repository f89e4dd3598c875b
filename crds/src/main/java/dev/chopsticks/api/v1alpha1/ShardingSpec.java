package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Sharding knobs. maxConcurrency follows Discord's session_start_limit.max_concurrency: 1 for ordinary bots and 16,
 * 32, 64, ... for bots in the large-bot sharding programme. The schema accepts any power of two up to 1024: a power
 * of two at or below Discord's value divides it, so every pair of shards Discord puts in one identify bucket is also
 * in one of ours, and a lower setting is slower but never breaks the rate limit. 3 or 12 would not be safe.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
// Declared on the type, not the component: on a record component the generator sees it twice (field and accessor)
// and emits a duplicate rule, which the API server refuses.
@ValidationRule(
        value = "self.maxConcurrency in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]",
        message =
                "maxConcurrency must be a power of two (1, 2, 4, ... 1024) at or below Discord's session_start_limit.max_concurrency",
        fieldPath = ".maxConcurrency",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.shardCountMultiple) || self.shardCountMultiple % self.maxConcurrency == 0",
        message = "shardCountMultiple must be a multiple of maxConcurrency: Discord closes large-bot sessions whose"
                + " shard count is not a multiple of max_concurrency with 4010",
        fieldPath = ".shardCountMultiple",
        reason = "FieldValueForbidden")
public record ShardingSpec(
        @Default("2000")
        @Min(1)
        @Max(2500)
        @JsonPropertyDescription(
                "Target guilds per shard; shards = ceil(guilds / guildsPerShard). Discord's hard limit is 2500.")
        Integer guildsPerShard,

        @Min(1)
        @Max(SchemaLimits.MAX_SHARDS)
        @JsonPropertyDescription("Explicit shard count (at most 20,000); wins over guildsPerShard when it can hold the"
                + " guilds at 2500 per shard.")
        Integer shards,

        @Default("1")
        @Min(1)
        @Max(64)
        @JsonPropertyDescription("Shards run by each bot pod; each pod gets a contiguous range of shard ids.")
        Integer shardsPerPod,

        @Default("1")
        @Min(1)
        @Max(1024)
        @JsonPropertyDescription(
                "Discord's session_start_limit.max_concurrency: shards in bucket shard_id % maxConcurrency may identify together, one per bucket every 5 s.")
        Integer maxConcurrency,

        @Min(1)
        @Max(SchemaLimits.MAX_CONCURRENCY)
        @JsonPropertyDescription(
                "Round the shard count up to a multiple of this (large-bot sharding requires a multiple of max_concurrency, else Discord closes with 4010); must be a multiple of maxConcurrency.")
        Integer shardCountMultiple) {

    public static final int DEFAULT_GUILDS_PER_SHARD = 2000;
    public static final int DISCORD_MAX_GUILDS_PER_SHARD = SchemaLimits.DISCORD_MAX_GUILDS_PER_SHARD;

    public ShardingSpec {
        guildsPerShard = guildsPerShard == null ? DEFAULT_GUILDS_PER_SHARD : guildsPerShard;
        shardsPerPod = shardsPerPod == null ? 1 : shardsPerPod;
        maxConcurrency = maxConcurrency == null ? 1 : maxConcurrency;
    }

    public static ShardingSpec defaults() {
        return new ShardingSpec(null, null, null, null, null);
    }
}
