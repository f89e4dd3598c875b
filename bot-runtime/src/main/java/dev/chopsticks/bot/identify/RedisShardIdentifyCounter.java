package dev.chopsticks.bot.identify;

import dev.chopsticks.bot.cache.RedisConnector;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-shard cap in Redis, so it survives pod restarts: a shard that crash-loops stops identifying once it has
 * used its hourly allowance. Fails open (counts locally) while Redis is unreachable.
 */
public final class RedisShardIdentifyCounter implements ShardIdentifyCounter {
    private static final Logger log = LoggerFactory.getLogger(RedisShardIdentifyCounter.class);

    /** KEYS: counter. ARGV: cap, window ms. Returns the new count, or -(ms until the window ends) when at the cap. */
    static final String COUNT = """
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n >= tonumber(ARGV[1]) then
              local ttl = redis.call('PTTL', KEYS[1])
              if ttl < 0 then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                ttl = tonumber(ARGV[2])
              end
              return -math.max(ttl, 1)
            end
            n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return n""";

    private final RedisConnector redis;
    private final String prefix;
    private final int cap;
    private final Duration window;
    private final LocalShardIdentifyCounter fallback;

    public RedisShardIdentifyCounter(RedisConnector redis, String namespace, int cap, Duration window) {
        this.redis = redis;
        this.prefix = "chopsticks:identify-count:" + namespace + ":";
        this.cap = cap;
        this.window = window;
        this.fallback = new LocalShardIdentifyCounter(cap, window);
    }

    @Override
    public Result tryCount(int shardId) {
        try {
            long r = redis.evalLong(
                            COUNT,
                            new String[] {"{" + prefix + shardId + "}"},
                            Integer.toString(cap),
                            Long.toString(window.toMillis()))
                    .toCompletableFuture()
                    .get(2, TimeUnit.SECONDS);
            return r > 0 ? new Result(true, r, Duration.ZERO) : new Result(false, cap, Duration.ofMillis(-r));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback.tryCount(shardId);
        } catch (Exception e) {
            log.warn(
                    "identify counter: Redis unavailable ({}), counting shard {} in-process",
                    e.getClass().getSimpleName(),
                    shardId);
            return fallback.tryCount(shardId);
        }
    }
}
