package dev.chopsticks.bot.gateway;

import dev.chopsticks.bot.cache.RedisConnector;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import net.dv8tion.jda.api.requests.RestRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discord's global REST rate limit is per bot, not per pod. JDA keeps it in one handle per process (the session
 * controller's); this one also tells every other pod, over Redis pub/sub on the process's one Redis client, when a
 * global 429 (or a Cloudflare ban) arrived: every pod then waits until the same time instead of each running into
 * its own 429s. Without Redis it is JDA's in-process handle.
 */
public final class SharedGlobalRateLimit implements RestRateLimiter.GlobalRateLimit {
    private static final Logger log = LoggerFactory.getLogger(SharedGlobalRateLimit.class);

    private final AtomicLong classic = new AtomicLong(-1);
    private final AtomicLong cloudflare = new AtomicLong(-1);
    private final String channel;
    private volatile RedisConnector redis;

    public SharedGlobalRateLimit(CompletableFuture<Optional<RedisConnector>> redisClient, String namespace) {
        this.channel = "chopsticks:rest-global-limit:" + namespace;
        redisClient.thenAccept(r -> r.ifPresent(c -> {
            c.subscribe(channel, this::received);
            redis = c;
        }));
    }

    @Override
    public long getClassic() {
        return classic.get();
    }

    @Override
    public void setClassic(long timestamp) {
        classic.set(timestamp);
        share('c', timestamp);
    }

    @Override
    public long getCloudflare() {
        return cloudflare.get();
    }

    @Override
    public void setCloudflare(long timestamp) {
        cloudflare.set(timestamp);
        share('f', timestamp);
    }

    /** Only limits still in the future are worth telling. */
    private void share(char kind, long timestamp) {
        RedisConnector r = redis;
        if (r != null && timestamp > System.currentTimeMillis()) {
            r.publish(channel, kind + ":" + timestamp);
            log.warn("global REST rate limit until {} (epoch ms), shared with the other pods", timestamp);
        }
    }

    void received(String message) {
        try {
            long timestamp = Long.parseLong(message.substring(2));
            (message.charAt(0) == 'f' ? cloudflare : classic).accumulateAndGet(timestamp, Math::max);
        } catch (RuntimeException e) {
            log.debug("ignored global rate limit message '{}'", message);
        }
    }
}
