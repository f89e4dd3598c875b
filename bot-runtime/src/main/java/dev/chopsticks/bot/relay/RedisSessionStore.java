package dev.chopsticks.bot.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.bot.cache.RedisConnector;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off store shared by every pod of the bot, on the process's one Redis client. Both keys of a shard share a
 * hash tag (one slot on Redis Cluster) and expire with the resume window: a session older than that cannot be
 * resumed, so nothing is kept for it.
 */
public final class RedisSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A whole guild list is up to ten HSCAN chunks: on a busy machine that takes a while. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private static final int READ_ATTEMPTS = 3;

    private final RedisConnector redis;
    private final String namespace;
    private final Duration ttl;

    /**
     * @param namespace the bot's token hash ({@code Gateway.tokenNamespace}), never the token
     * @param ttl       how long a saved session is worth keeping: the resume window
     */
    public RedisSessionStore(RedisConnector redis, String namespace, Duration ttl) {
        this.redis = redis;
        this.namespace = namespace;
        this.ttl = ttl;
    }

    private String prefix(int shardId, int shardCount) {
        return "chopsticks:relay:{" + namespace + ":" + shardId + "/" + shardCount + "}:";
    }

    @Override
    public Optional<SavedSession> session(int shardId, int shardCount) {
        try {
            String raw = retrying(() -> redis.get(prefix(shardId, shardCount) + "session"));
            return raw == null ? Optional.empty() : Optional.of(JSON.readValue(raw, SavedSession.class));
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn(
                    "shard {}: saved session unreadable ({}), identifying",
                    shardId,
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    @Override
    public Map<Long, String> guilds(int shardId, int shardCount) {
        Map<String, String> raw = retrying(() -> redis.hgetall(prefix(shardId, shardCount) + "guilds"));
        Map<Long, String> guilds = new HashMap<>();
        raw.forEach((id, json) -> guilds.put(Long.parseLong(id), json));
        return guilds;
    }

    @Override
    public void save(
            int shardId, int shardCount, SavedSession session, Map<Long, String> changed, Collection<Long> removed) {
        String prefix = prefix(shardId, shardCount);
        Map<String, String> fields = new HashMap<>();
        changed.forEach((id, json) -> fields.put(Long.toString(id), json));
        if (!removed.isEmpty()) {
            redis.hdel(prefix + "guilds", removed.stream().map(String::valueOf).toArray(String[]::new));
        }
        // Guilds first, then the session that refers to them: a reader never sees a session newer than its guilds.
        await(redis.hsetWithTtl(prefix + "guilds", fields, ttl));
        try {
            await(redis.set(prefix + "session", JSON.writeValueAsString(session), ttl));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void forget(int shardId, int shardCount) {
        String prefix = prefix(shardId, shardCount);
        redis.del(prefix + "session");
        redis.del(prefix + "guilds");
    }

    /**
     * Reads are retried: a successor that fails to read a saved session under a load spike would identify instead,
     * and that session start is what the hand-off exists to save.
     */
    private static <T> T retrying(Supplier<CompletionStage<T>> call) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            try {
                return await(call.get());
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private static <T> T await(CompletionStage<T> call) {
        try {
            return call.toCompletableFuture().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis: no answer within " + CALL_TIMEOUT.toMillis() + " ms", e);
        }
    }
}
