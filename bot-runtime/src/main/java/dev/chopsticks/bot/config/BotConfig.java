package dev.chopsticks.bot.config;

import java.util.Set;

/** Everything `run` needs, read once at start-up; a bad value stops start-up with one line. */
public record BotConfig(
        PostgresConfig postgres,
        RedisConfig redis,
        LocalCacheConfig localCache,
        DiscordConfig discord,
        ShardConfig shards,
        IdentifyConfig identify,
        RelayConfig relay,
        ShardStatusConfig shardStatus,
        LifecycleConfig lifecycle,
        HttpConfig http,
        ExternalApiConfig externalApis,
        String logLevel) {

    public static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public static BotConfig fromEnv(EnvReader env) {
        return new BotConfig(
                PostgresConfig.fromEnv(env),
                RedisConfig.fromEnv(env),
                LocalCacheConfig.fromEnv(env),
                DiscordConfig.fromEnv(env),
                ShardConfig.fromEnv(env),
                IdentifyConfig.fromEnv(env),
                RelayConfig.fromEnv(env),
                ShardStatusConfig.fromEnv(env),
                LifecycleConfig.fromEnv(env),
                HttpConfig.fromEnv(env),
                ExternalApiConfig.fromEnv(env),
                logLevel(env));
    }

    public static String logLevel(EnvReader env) {
        return env.oneOf("LOG_LEVEL", "info", LOG_LEVELS);
    }

    public BotConfig withShards(ShardConfig newShards) {
        return new BotConfig(
                postgres,
                redis,
                localCache,
                discord,
                newShards,
                identify,
                relay,
                shardStatus,
                lifecycle,
                http,
                externalApis,
                logLevel);
    }
}
