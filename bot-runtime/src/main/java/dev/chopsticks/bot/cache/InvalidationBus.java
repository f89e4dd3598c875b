package dev.chopsticks.bot.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-process L1 invalidation over Redis pub/sub. Messages are {@code origin|namespace|id}; a process ignores its
 * own, since the writer already holds the fresh value. Pub/sub does not keep messages for a disconnected subscriber:
 * each time the subscription is confirmed again (after Redis restarts or the connection drops) every namespace drops
 * its whole L1, since any of its entries may have missed an invalidation.
 */
public final class InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(InvalidationBus.class);
    public static final String CHANNEL = "chopsticks:invalidate";

    private final ResilientRedis redis;
    private final String origin;
    private final Map<String, LongConsumer> handlers = new ConcurrentHashMap<>();
    private final Map<String, Runnable> onMissed = new ConcurrentHashMap<>();

    public InvalidationBus(ResilientRedis redis, String origin) {
        if (origin.contains("|")) {
            throw new IllegalArgumentException("origin must not contain '|'");
        }
        this.redis = redis;
        this.origin = origin;
        redis.onSubscribed(CHANNEL, this::subscribed);
        redis.subscribe(CHANNEL, this::receive);
    }

    public String origin() {
        return origin;
    }

    /**
     * @param onInvalidate drops one entry another process changed
     * @param onMissed     drops every entry: invalidations may have been lost while unsubscribed
     */
    public void register(String namespace, LongConsumer onInvalidate, Runnable onMissed) {
        handlers.put(namespace, onInvalidate);
        this.onMissed.put(namespace, onMissed);
    }

    void subscribed() {
        log.debug("invalidation channel subscribed: dropping the L1 caches ({})", onMissed.keySet());
        onMissed.values().forEach(Runnable::run);
    }

    /** @return false if Redis was unavailable, so the caller can replay later */
    public boolean publish(String namespace, long id) {
        return redis.publish(CHANNEL, origin + "|" + namespace + "|" + id);
    }

    void receive(String message) {
        String[] parts = message.split("\\|", 3);
        if (parts.length != 3 || parts[0].equals(origin)) {
            return;
        }
        LongConsumer handler = handlers.get(parts[1]);
        if (handler == null) {
            return;
        }
        try {
            handler.accept(Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            log.warn("ignoring malformed invalidation for namespace {}", parts[1]);
        }
    }
}
