package dev.chopsticks.bot.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.testinfra.RedisProcess;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lazily built blocking API against a real Redis, and the async re-subscribe when Redis comes up late. */
class LazySyncRedisClientIT {
    private RedisProcess redis;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    @Test
    void asyncWorksWithoutTheBlockingApiAndTheBlockingApiIsBuiltOnFirstUse() throws Exception {
        ClientResources resources = ClientResources.create();
        LazySyncRedisClient client = new LazySyncRedisClient(resources, RedisURI.create(redis.url()));
        try (StatefulRedisConnection<String, String> c = client.connect();
                StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub()) {
            assertThat(c.async().set("k", "v").get(2, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(c.sync().get("k")).as("blocking API, built lazily").isEqualTo("v");
            assertThat(c.sync()).as("built once").isSameAs(c.sync());
            assertThat(ps.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown();
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void aListenerRegisteredWhileRedisIsDownReceivesMessagesOnceItIsUp() {
        redis.kill();
        List<String> received = new CopyOnWriteArrayList<>();
        try (RedisConnector connector = new RedisConnector(new RedisConfig(
                Optional.of(new Secret(redis.url())), List.of(), Duration.ofSeconds(30), Duration.ofMillis(250)))) {
            assertThat(connector.connected()).isFalse();
            connector.subscribe("chopsticks:test", received::add);

            redis.startServer();
            await().atMost(Duration.ofSeconds(15)).until(connector::connected);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                connector
                        .publish("chopsticks:test", "hello")
                        .toCompletableFuture()
                        .get(2, TimeUnit.SECONDS);
                assertThat(received).contains("hello");
            });
        }
    }
}
