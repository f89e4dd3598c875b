package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The bot-runtime process that runs the shards. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BotSpec(
        @Required
        @Size(min = 1)
        @JsonPropertyDescription(
                "Container image of bot-runtime, e.g. ghcr.io/chopsticks/bot-runtime:0.1.0. A change rolls the shards.")
        String image,

        @Required @JsonPropertyDescription("Secret key holding the Discord bot token.")
        SecretKeyRef discordToken,

        @Pattern("^wss?://.+")
        @JsonPropertyDescription(
                "Override of the Discord gateway URL (ws:// or wss://), e.g. to point at the Discord simulator.")
        String gatewayUrl,

        @Pattern("^https?://.+")
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

        @JsonPropertyDescription("Extra environment variables for the bot container.")
        List<EnvVarSpec> env) {

    public BotSpec {
        pgPool = pgPool == null ? PgPoolSpec.defaults() : pgPool;
        cache = cache == null ? CacheSpec.defaults() : cache;
        env = env == null ? List.of() : List.copyOf(env);
    }
}
