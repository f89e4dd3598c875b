package dev.chopsticks.bot.config;

import java.time.Duration;

/**
 * Everything {@code dashboard} needs: the same data layer settings as the shards (it reads what they write, through
 * the same PgBouncer and Redis), the HTTP server with its admin token, and where it runs. No Discord settings: the
 * dashboard opens no gateway session and needs no bot token.
 *
 * @param overviewRefresh how often the cluster overview is re-read from PostgreSQL
 *     ({@code DASHBOARD_REFRESH_SECONDS}, 1-3600, default 5)
 */
public record DashboardConfig(
        PostgresConfig postgres,
        RedisConfig redis,
        LocalCacheConfig localCache,
        HttpConfig http,
        PodIdentity identity,
        LifecycleConfig lifecycle,
        Duration overviewRefresh,
        String logLevel) {

    public static DashboardConfig fromEnv(EnvReader env) {
        return new DashboardConfig(
                PostgresConfig.fromEnv(env),
                RedisConfig.fromEnv(env),
                LocalCacheConfig.fromEnv(env),
                HttpConfig.fromEnv(env),
                PodIdentity.fromEnv(env),
                LifecycleConfig.fromEnv(env),
                Duration.ofSeconds(env.intInRange("DASHBOARD_REFRESH_SECONDS", 5, 1, 3_600)),
                BotConfig.logLevel(env));
    }
}
