package dev.chopsticks.bot.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.identify.GatewayPod;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A global 429 seen by one pod makes every pod of the bot wait (pub/sub on each pod's own Redis client). */
class SharedGlobalRateLimitIT {

    @Test
    void aGlobalLimitHitByOnePodReachesTheOthers() {
        try (RedisProcess redis = RedisProcess.start()) {
            RedisConnector a = GatewayPod.redis(redis.url());
            RedisConnector b = GatewayPod.redis(redis.url());
            RedisConnector otherBot = GatewayPod.redis(redis.url());
            try {
                SharedGlobalRateLimit podA =
                        new SharedGlobalRateLimit(CompletableFuture.completedFuture(Optional.of(a)), "bot");
                SharedGlobalRateLimit podB =
                        new SharedGlobalRateLimit(CompletableFuture.completedFuture(Optional.of(b)), "bot");
                SharedGlobalRateLimit elsewhere = new SharedGlobalRateLimit(
                        CompletableFuture.completedFuture(Optional.of(otherBot)), "another-bot");
                long until = System.currentTimeMillis() + 10_000;
                // Subscriptions become active asynchronously: repeat the (idempotent) 429 until it arrives.
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    podA.setClassic(until);
                    return podB.getClassic() == until;
                });
                long cloudflare = System.currentTimeMillis() + 60_000;
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    podB.setCloudflare(cloudflare);
                    return podA.getCloudflare() == cloudflare;
                });
                // A limit already over is not broadcast, and other bots (tokens) are not affected.
                podA.setClassic(System.currentTimeMillis() - 1);
                assertThat(podB.getClassic()).isEqualTo(until);
                assertThat(elsewhere.getClassic()).isEqualTo(-1);
                assertThat(elsewhere.getCloudflare()).isEqualTo(-1);
            } finally {
                a.close();
                b.close();
                otherBot.close();
            }
        }
    }
}
