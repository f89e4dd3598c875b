package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.LocalCacheConfig;
import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.bot.testinfra.RedisCluster;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.testinfra.PgBouncerProcess;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** REDIS_CLUSTER_NODES: the same layering and cross-process invalidation against a real 3-master cluster. */
@ExtendWith(RealServices.class)
class RedisClusterIT {
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static DataLayer shard(PgBouncerProcess pgBouncer) {
        RedisConfig redis = RedisConfig.fromEnv(new EnvReader(Map.of("REDIS_CLUSTER_NODES", cluster.nodesEnv())));
        assertThat(redis.cluster()).isTrue();
        return DataLayer.start(
                SharedServices.postgresConfig(pgBouncer.postgresUrl()),
                redis,
                LocalCacheConfig.defaults(),
                new SimpleMeterRegistry(),
                "cluster-" + UUID.randomUUID(),
                DataLayer.Tuning.defaults(),
                CircuitBreakerRegistry.ofDefaults());
    }

    @Test
    void layeringAndInvalidationWorkAcrossClusterSlots(PgBouncerProcess pgBouncer) {
        try (DataLayer a = shard(pgBouncer);
                DataLayer b = shard(pgBouncer)) {
            // Enough guilds that keys land on all three masters.
            long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
            for (long g = base; g < base + 30; g++) {
                long guild = g;
                a.guildConfig().update(guild, s -> s.withPrefix("p" + guild));
            }
            for (long g = base; g < base + 30; g++) {
                assertThat(b.guildConfig().load(g).value().prefix()).isEqualTo("p" + g);
            }
            assertThat(b.guildConfig().stats().l2Hits()).isEqualTo(30);
            assertThat(b.guildConfig().stats().dbLoads()).isZero();

            a.guildConfig().update(base + 7, s -> s.withPrefix("changed"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> b.guildConfig().load(base + 7).value().prefix().equals("changed"));
            assertThat(b.redisBreaker().orElseThrow().getMetrics().getNumberOfFailedCalls())
                    .isZero();
        }
    }
}
