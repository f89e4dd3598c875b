package dev.chopsticks.bot.testinfra;

import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.LocalCacheConfig;
import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.data.DataLayer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Builds a {@link DataLayer} per simulated process (own pool, own Redis client), as two shards would have. */
public final class TestDataLayers {
    private TestDataLayers() {}

    public static DataLayer start(String postgresUrl, String redisUrl, LocalCacheConfig local, int guildRedisTtlSec) {
        Map<String, String> env = new HashMap<>();
        if (redisUrl != null) {
            env.put("REDIS_URL", redisUrl);
        }
        env.put("GUILD_CACHE_TTL_SEC", Integer.toString(guildRedisTtlSec));
        RedisConfig redis = RedisConfig.fromEnv(new EnvReader(env));
        return DataLayer.start(
                SharedServices.postgresConfig(postgresUrl),
                redis,
                local,
                new SimpleMeterRegistry(),
                "test-" + UUID.randomUUID(),
                new DataLayer.Tuning(Duration.ofMillis(500)),
                CircuitBreakerRegistry.ofDefaults());
    }

    public static DataLayer start(String postgresUrl, String redisUrl) {
        return start(postgresUrl, redisUrl, LocalCacheConfig.defaults(), 30);
    }
}
