package dev.chopsticks.bot.cache;

import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pub/sub against a real Redis that restarts: what a subscriber is told, so it can make up for lost messages. */
class RedisConnectorIT {
    private RedisProcess redis;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    /**
     * A message published while the subscriber is disconnected is gone for good; the subscriber learns of the gap
     * through a second subscription confirmation once Lettuce has re-subscribed (InvalidationBus then drops L1).
     */
    @Test
    void aRestartedRedisConfirmsTheSubscriptionAgainAndOnlyLaterMessagesArrive() throws Exception {
        AtomicInteger confirmations = new AtomicInteger();
        List<String> received = new CopyOnWriteArrayList<>();
        try (RedisConnector subscriber = connector();
                RedisConnector publisher = connector()) {
            subscriber.onSubscribed("chopsticks:test", confirmations::incrementAndGet);
            subscriber.subscribe("chopsticks:test", received::add);
            await().atMost(Duration.ofSeconds(10)).until(() -> confirmations.get() == 1);

            redis.kill();
            redis.startServer();
            // published as soon as the publisher is back, possibly before the subscriber re-subscribed
            await().atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .until(() -> publisher
                                    .publish("chopsticks:test", "during-gap")
                                    .toCompletableFuture()
                                    .get(1, TimeUnit.SECONDS)
                            >= 0);

            await().atMost(Duration.ofSeconds(15)).until(() -> confirmations.get() == 2);
            publisher.publish("chopsticks:test", "after").toCompletableFuture().get(2, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after"));
        }
    }

    private RedisConnector connector() {
        return new RedisConnector(new RedisConfig(
                Optional.of(new Secret(redis.url())), List.of(), Duration.ofSeconds(30), Duration.ofMillis(250)));
    }
}
