package dev.chopsticks.bot.identify;

import dev.chopsticks.bot.cache.RedisConnector;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-pod identify queue: per bucket, a lease key ({@code SET PX} under a Lua script, so a dead holder's turn
 * simply expires) and a sorted set of waiting shards, so that the lowest waiting shard id of the bucket goes next
 * whichever pod runs it. Time comes from Redis ({@code TIME}), never from pod clocks. All keys of a bucket share a
 * hash tag, so the scripts also run on Redis Cluster.
 *
 * <p>When Redis stays unreachable for {@code fallbackAfter}, the gate falls back to in-process pacing (logged): the
 * bot keeps starting, at the risk of a rejected IDENTIFY (op 9, no budget spent) if another pod identifies in the
 * same bucket meanwhile.
 */
public final class RedisIdentifyGate implements IdentifyGate {
    private static final Logger log = LoggerFactory.getLogger(RedisIdentifyGate.class);

    /**
     * KEYS: lease, waiters (score = shard id), seen (score = last poll, ms). ARGV: shard, token, lease ms, stale ms.
     * Returns 0 when acquired, the lease's remaining ms while another holds it, -1 when a lower shard waits first.
     * Idempotent per token: an acquire that ran but whose reply timed out (a cold JVM's first command under load) is
     * retried with the same token and must not then wait out its own lease (it cost 6 s per rolling step).
     */
    static final String ACQUIRE = """
            if redis.call('GET', KEYS[1]) == ARGV[2] then return 0 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1])
            redis.call('ZADD', KEYS[3], now, ARGV[1])
            local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))
            for _, s in ipairs(stale) do
              redis.call('ZREM', KEYS[2], s)
              redis.call('ZREM', KEYS[3], s)
            end
            redis.call('PEXPIRE', KEYS[2], 120000)
            redis.call('PEXPIRE', KEYS[3], 120000)
            local pttl = redis.call('PTTL', KEYS[1])
            if pttl > 0 then return pttl end
            if pttl == -1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return tonumber(ARGV[3])
            end
            local first = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
            if first ~= ARGV[1] then return -1 end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('ZREM', KEYS[3], ARGV[1])
            return 0""";

    /** KEYS: lease. ARGV: token, ms. Sets the expiry to now + ms if we still hold it. */
    static final String EXTEND = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0""";

    /** KEYS: lease. ARGV: token. Atomic compare-and-delete. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    private static final long POLL_CAP_MS = 500;
    private static final long NOT_FIRST_POLL_MS = 50;
    private static final long STALE_WAITER_MS = 3_000;
    private static final long COMMAND_TIMEOUT_MS = 2_000;

    private final RedisConnector redis;
    private final String prefix;
    private final Duration initialLease;
    private final Duration fallbackAfter;
    private final LocalIdentifyGate fallback;

    /**
     * @param namespace    identifies the bot (a hash of its token): the limit is per bot, whichever cluster runs it
     * @param initialLease lease length while an identify is in flight (renewed by the holder)
     */
    public RedisIdentifyGate(RedisConnector redis, String namespace, Duration initialLease, Duration fallbackAfter) {
        this.redis = redis;
        this.prefix = "chopsticks:identify:{" + namespace + ":";
        this.initialLease = initialLease;
        this.fallbackAfter = fallbackAfter;
        this.fallback = new LocalIdentifyGate(initialLease);
    }

    String leaseKey(int bucket) {
        return prefix + bucket + "}:lease";
    }

    @Override
    public Lease acquire(int bucket, int shardId) throws InterruptedException {
        String[] keys = {leaseKey(bucket), prefix + bucket + "}:waiters", prefix + bucket + "}:seen"};
        String token = UUID.randomUUID().toString();
        String shard = Integer.toString(shardId);
        long failingSince = 0;
        while (true) {
            long result;
            try {
                result = redis.evalLong(
                                ACQUIRE,
                                keys,
                                shard,
                                token,
                                Long.toString(initialLease.toMillis()),
                                Long.toString(STALE_WAITER_MS))
                        .toCompletableFuture()
                        .get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                failingSince = 0;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                long now = System.nanoTime();
                if (failingSince == 0) {
                    failingSince = now;
                    log.warn("identify queue: Redis unavailable ({}), retrying", rootCause(e));
                } else if (now - failingSince > fallbackAfter.toNanos()) {
                    log.warn(
                            "identify queue: Redis unavailable for {} s, pacing shard {} in-process only",
                            fallbackAfter.toSeconds(),
                            shardId);
                    return fallback.acquire(bucket, shardId);
                }
                Thread.sleep(250);
                continue;
            }
            if (result == 0) {
                return new RedisLease(keys[0], token);
            }
            Thread.sleep(result > 0 ? Math.min(result, POLL_CAP_MS) : NOT_FIRST_POLL_MS);
        }
    }

    /** The failure's innermost class name (a command timeout, a refused connection), never its message. */
    private static String rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName();
    }

    private final class RedisLease implements Lease {
        private final String key;
        private final String token;

        RedisLease(String key, String token) {
            this.key = key;
            this.token = token;
        }

        @Override
        public void extend(Duration hold) {
            run(EXTEND, Long.toString(Math.max(1, hold.toMillis())));
        }

        @Override
        public void release() {
            run(RELEASE);
        }

        private void run(String script, String... extra) {
            String[] args = new String[extra.length + 1];
            args[0] = token;
            System.arraycopy(extra, 0, args, 1, extra.length);
            try {
                redis.evalLong(script, new String[] {key}, args)
                        .toCompletableFuture()
                        .get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // The lease expires on its own; the next holder waits at most its remaining time.
                log.warn("identify queue: lease update failed ({})", rootCause(e));
            }
        }
    }
}
