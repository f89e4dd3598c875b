package dev.chopsticks.bot.config;

import java.time.Duration;

/** In-process (L1) cache sizes and expire-after-write TTLs, as in the guide. */
public record LocalCacheConfig(int guildMax, Duration guildTtl, int userMax, Duration userTtl) {

    public static LocalCacheConfig defaults() {
        return new LocalCacheConfig(2000, Duration.ofMillis(60_000), 5000, Duration.ofMillis(30_000));
    }

    public static LocalCacheConfig fromEnv(EnvReader env) {
        return new LocalCacheConfig(
                env.intInRange("LOCAL_CACHE_GUILD_MAX", 2000, 1, 10_000_000),
                Duration.ofMillis(env.intInRange("LOCAL_CACHE_GUILD_TTL", 60_000, 1, 86_400_000)),
                env.intInRange("LOCAL_CACHE_USER_MAX", 5000, 1, 10_000_000),
                Duration.ofMillis(env.intInRange("LOCAL_CACHE_USER_TTL", 30_000, 1, 86_400_000)));
    }
}
