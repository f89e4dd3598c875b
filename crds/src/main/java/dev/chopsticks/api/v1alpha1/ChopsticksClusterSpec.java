package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a Chopsticks deployment. Defaults follow the original bot's scaling guide. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "!has(self.sharding.shards) || self.sharding.shards * 2500 >= self.guilds",
        message = "sharding.shards is too few for spec.guilds: Discord allows at most 2500 guilds per shard",
        fieldPath = ".sharding.shards",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "has(self.sharding.shards) || self.guilds <= " + SchemaLimits.MAX_SHARDS
                + " * self.sharding.guildsPerShard",
        message = "spec.guilds needs more than " + SchemaLimits.MAX_SHARDS
                + " shards at sharding.guildsPerShard: raise guildsPerShard (at most 2500)",
        fieldPath = ".guilds",
        reason = "FieldValueForbidden")
@ValidationRule(
        value =
                "!self.pgbouncer.enabled || self.pgbouncer.replicas * self.pgbouncer.defaultPoolSize <= self.postgres.maxConnections",
        message = "pgbouncer.replicas * pgbouncer.defaultPoolSize must not exceed postgres.maxConnections",
        fieldPath = ".pgbouncer.defaultPoolSize",
        reason = "FieldValueForbidden")
public record ChopsticksClusterSpec(
        @Required
        @Min(1)
        @Max(SchemaLimits.MAX_GUILDS)
        @JsonPropertyDescription(
                "Number of guilds the bot serves (or expects to); the shard count is derived from it. At most"
                        + " 50,000,000 (20,000 shards of 2,500).")
        Long guilds,

        @Default("{}") @JsonPropertyDescription("How guilds are split into Discord shards and shards into pods.")
        ShardingSpec sharding,

        @Required
        @JsonPropertyDescription("The bot process: image, Discord token, pools, caches and extra environment.")
        BotSpec bot,

        @Default("{}") @JsonPropertyDescription("The PgBouncer pooler in front of PostgreSQL.")
        PgBouncerSpec pgbouncer,

        @Default("{}") @JsonPropertyDescription("The Redis L2 cache shared by all shards.")
        RedisSpec redis,

        @Required @JsonPropertyDescription("The PostgreSQL database (not managed by this operator).")
        PostgresSpec postgres,

        @Default("{}")
        @JsonPropertyDescription(
                "How shard pods are restarted and respawned without breaking Discord's identify limits.")
        RolloutSpec rollout,

        @Default("{}") @JsonPropertyDescription("The optional web dashboard served by the bot image.")
        DashboardSpec dashboard) {

    public ChopsticksClusterSpec {
        sharding = sharding == null ? ShardingSpec.defaults() : sharding;
        pgbouncer = pgbouncer == null ? PgBouncerSpec.defaults() : pgbouncer;
        redis = redis == null ? RedisSpec.defaults() : redis;
        rollout = rollout == null ? RolloutSpec.defaults() : rollout;
        dashboard = dashboard == null ? DashboardSpec.defaults() : dashboard;
    }
}
