package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.cache.ClaimOutcome;
import dev.chopsticks.bot.cache.ResilientRedis;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Claims as {@code SET chopsticks:interaction:{<id>} <generation>/<host> NX PX 60000}, behind the data layer's Redis
 * breaker. The braces make the id the cluster hash tag; the value says who answered (for debugging with
 * {@code redis-cli GET}); the TTL outlives any redelivery of an interaction (Discord's token is valid 15 min, but an
 * interaction is only delivered around its creation).
 */
public final class RedisInteractionClaims implements InteractionClaims {
    public static final Duration TTL = Duration.ofSeconds(60);

    private final ResilientRedis redis;
    private final String owner;

    public RedisInteractionClaims(ResilientRedis redis, String owner) {
        this.redis = redis;
        this.owner = owner;
    }

    /** The claim value: {@code <generation>/<host name>}. */
    public static String owner(int generation, String hostname) {
        return generation + "/" + hostname;
    }

    public static String key(long interactionId) {
        return "chopsticks:interaction:{" + Long.toUnsignedString(interactionId) + "}";
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(long interactionId) {
        return redis.setIfAbsent(key(interactionId), owner, TTL);
    }
}
