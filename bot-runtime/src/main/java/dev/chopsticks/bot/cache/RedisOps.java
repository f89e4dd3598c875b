package dev.chopsticks.bot.cache;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The few Redis operations the caches need, the same for standalone and cluster. */
public interface RedisOps {
    CompletionStage<String> get(String key);

    /** Stores {@code revision|payload} unless the key already holds the same or a newer revision. */
    CompletionStage<Boolean> setIfNewer(String key, long revision, String payload, Duration ttl);

    /** {@code SET key value NX PX ttl}: true if this call created the key, false if it already existed. */
    CompletionStage<Boolean> setIfAbsent(String key, String value, Duration ttl);

    CompletionStage<Long> del(String key);

    CompletionStage<Long> publish(String channel, String message);

    CompletionStage<String> ping();

    /** Registers a listener; the subscription survives reconnects. */
    void subscribe(String channel, Consumer<String> listener);

    /**
     * Runs {@code listener} each time Redis confirms the channel's subscription: the first time and again after every
     * reconnect. Pub/sub is fire-and-forget, so whatever was published while the connection was down is lost; this
     * is the moment to make up for it. Runs in order with the channel's messages.
     */
    void onSubscribed(String channel, Runnable listener);
}
