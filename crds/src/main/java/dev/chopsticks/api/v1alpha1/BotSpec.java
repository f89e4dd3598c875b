package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The bot-runtime process that runs the shards. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "self.image.matches('" + SchemaLimits.IMAGE_REFERENCE + "')",
        message = "bot.image must be an image reference such as ghcr.io/chopsticks/bot-runtime:0.1.0 (lower-case"
                + " name, no spaces)",
        fieldPath = ".image",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.gatewayUrl) || self.gatewayUrl.matches('^wss?://[^ ]+$')",
        message = "bot.gatewayUrl must be a ws:// or wss:// URL",
        fieldPath = ".gatewayUrl",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!has(self.apiBaseUrl) || self.apiBaseUrl.matches('^https?://[^ ]+$')",
        message = "bot.apiBaseUrl must be an http:// or https:// URL",
        fieldPath = ".apiBaseUrl",
        reason = "FieldValueForbidden")
public record BotSpec(
        @Required
        @Size(min = 1, max = 512)
        @JsonPropertyDescription(
                "Container image of bot-runtime, e.g. ghcr.io/chopsticks/bot-runtime:0.1.0. A change rolls the shards.")
        String image,

        @Required @JsonPropertyDescription("Secret key holding the Discord bot token.")
        SecretKeyRef discordToken,

        @Size(max = 2048)
        @JsonPropertyDescription(
                "Override of the Discord gateway URL (ws:// or wss://), e.g. to point at the Discord simulator.")
        String gatewayUrl,

        @Size(max = 2048)
        @JsonPropertyDescription("Override of the Discord HTTP API base URL, e.g. http://discord-sim:8090/api/v10/.")
        String apiBaseUrl,

        @JsonPropertyDescription("CPU and memory requests and limits of each bot container.")
        ContainerResources resources,

        @Default("{}")
        @JsonPropertyDescription(
                "HikariCP pool per bot process (PG_POOL_MAX / PG_POOL_MIN); PgBouncer multiplexes them.")
        PgPoolSpec pgPool,

        @Default("{}") @JsonPropertyDescription("In-process (L1) and Redis (L2) cache sizes and TTLs.")
        CacheSpec cache,

        @Size(max = 100)
        @JsonPropertyDescription(
                "Extra environment variables for the bot container (at most 100). Variables the"
                        + " operator sets are refused, each with the spec field that sets it: DISCORD_TOKEN"
                        + " (bot.discordToken), DISCORD_GATEWAY_URL / DISCORD_API_BASE_URL (bot.gatewayUrl / bot.apiBaseUrl),"
                        + " SHARD_COUNT, SHARD_IDS, SHARDS_PER_POD, MAX_CONCURRENCY (guilds, sharding), PG_POOL_* (bot.pgPool),"
                        + " POSTGRES_URL and PG* (postgres.connectionSecret), REDIS_* (redis), LOCAL_CACHE_* and"
                        + " GUILD_CACHE_TTL_SEC (bot.cache), ADMIN_TOKEN (dashboard.adminToken), GATEWAY_RELAY and"
                        + " GATEWAY_RESUME_WINDOW_SECONDS (rollout.sessionHandOff), and the pod's identity"
                        + " (CHOPSTICKS_CLUSTER, CHOPSTICKS_GENERATION, SHARD_NAME_PREFIX, POD_NAME, POD_NAMESPACE, HTTP_PORT).")
        List<EnvVarSpec> env) {

    /**
     * The variables the operator sets on bot pods, as a CEL map from name to the spec field that sets it; a user's
     * entry would silently override ours (and DISCORD_TOKEN as a literal would put the token in the pod spec).
     */
    public static final String RESERVED_ENV = "{"
            + "'DISCORD_TOKEN': 'spec.bot.discordToken', "
            + "'DISCORD_GATEWAY_URL': 'spec.bot.gatewayUrl', "
            + "'DISCORD_API_BASE_URL': 'spec.bot.apiBaseUrl', "
            + "'SHARD_COUNT': 'spec.guilds or spec.sharding.shards', "
            + "'SHARD_IDS': 'spec.sharding.shardsPerPod', "
            + "'SHARDS_PER_POD': 'spec.sharding.shardsPerPod', "
            + "'MAX_CONCURRENCY': 'spec.sharding.maxConcurrency', "
            + "'PG_POOL_MAX': 'spec.bot.pgPool.max', "
            + "'PG_POOL_MIN': 'spec.bot.pgPool.min', "
            + "'POSTGRES_URL': 'spec.postgres.connectionSecret', "
            + "'POSTGRES_PASSWORD': 'spec.postgres.connectionSecret', "
            + "'PGHOST': 'spec.postgres.connectionSecret', "
            + "'PGPORT': 'spec.postgres.connectionSecret', "
            + "'PGDATABASE': 'spec.postgres.connectionSecret', "
            + "'PGUSER': 'spec.postgres.connectionSecret', "
            + "'PGPASSWORD': 'spec.postgres.connectionSecret', "
            + "'REDIS_URL': 'spec.redis', "
            + "'REDIS_PASSWORD': 'spec.redis', "
            + "'REDIS_CLUSTER_NODES': 'spec.redis.external.clusterNodes', "
            + "'LOCAL_CACHE_GUILD_MAX': 'spec.bot.cache.guildMax', "
            + "'LOCAL_CACHE_GUILD_TTL': 'spec.bot.cache.guildTtl', "
            + "'LOCAL_CACHE_USER_MAX': 'spec.bot.cache.userMax', "
            + "'LOCAL_CACHE_USER_TTL': 'spec.bot.cache.userTtl', "
            + "'GUILD_CACHE_TTL_SEC': 'spec.bot.cache.redisGuildTtl', "
            + "'ADMIN_TOKEN': 'spec.dashboard.adminToken', "
            + "'CHOPSTICKS_CLUSTER': 'metadata.name', "
            + "'CHOPSTICKS_GENERATION': 'the operator', "
            + "'SHARD_NAME_PREFIX': 'the operator', "
            + "'POD_NAME': 'the operator', "
            + "'POD_NAMESPACE': 'the operator', "
            + "'HTTP_PORT': 'the operator', "
            + "'GATEWAY_RELAY': 'spec.rollout.sessionHandOff', "
            + "'GATEWAY_RESUME_WINDOW_SECONDS': 'spec.rollout.sessionHandOff'"
            + "}";

    public BotSpec {
        pgPool = pgPool == null ? PgPoolSpec.defaults() : pgPool;
        cache = cache == null ? CacheSpec.defaults() : cache;
        env = env == null ? List.of() : List.copyOf(env);
    }
}
