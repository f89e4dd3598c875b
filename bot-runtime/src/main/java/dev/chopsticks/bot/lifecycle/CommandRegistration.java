package dev.chopsticks.bot.lifecycle;

import dev.chopsticks.bot.cache.RedisConnector;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slash commands are registered once per deploy, never once per shard: the process running shard 0 registers when
 * no process has registered these definitions yet. The marker is a Redis key named after the definitions' hash,
 * taken with SET NX (so two racing pods cannot both register) and deleted again if registration fails. Without
 * Redis the shard-0 process registers at every start (one bulk overwrite, idempotent). The operator can also run
 * {@code bot-runtime register-commands} as a Job and set {@code REGISTER_COMMANDS=false} on the shards.
 */
public final class CommandRegistration {
    private static final Logger log = LoggerFactory.getLogger(CommandRegistration.class);

    /** KEYS: marker. ARGV: owner, ttl ms. 1 when we took it. */
    static final String TAKE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            return 0""";

    static final Duration MARKER_TTL = Duration.ofDays(30);

    public enum Outcome {
        REGISTERED,
        ALREADY_REGISTERED,
        FAILED
    }

    /** Registration itself, so tests can count calls. */
    @FunctionalInterface
    public interface Registrar {
        int register(CommandsPayload payload) throws Exception;
    }

    private CommandRegistration() {}

    public static String markerKey(String namespace, CommandsPayload payload) {
        return "chopsticks:commands:" + namespace + ":" + payload.hash();
    }

    public static Outcome registerOnce(
            CommandsPayload payload, Registrar registrar, Optional<RedisConnector> redis, String namespace) {
        String key = markerKey(namespace, payload);
        RedisConnector marker = null;
        if (redis.isPresent()) {
            try {
                long took = redis.get()
                        .evalLong(TAKE, new String[] {key}, "registering", Long.toString(MARKER_TTL.toMillis()))
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                if (took == 0) {
                    log.info("slash commands {} already registered by this deploy", payload.hash());
                    return Outcome.ALREADY_REGISTERED;
                }
                marker = redis.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.FAILED;
            } catch (Exception e) {
                log.warn(
                        "command registration marker unavailable ({}), registering anyway",
                        e.getClass().getSimpleName());
            }
        }
        try {
            int count = registrar.register(payload);
            log.info("registered {} slash commands ({})", count, payload.hash());
            return Outcome.REGISTERED;
        } catch (Exception e) {
            log.warn("slash command registration failed: {}", e.toString());
            if (marker != null) {
                try {
                    marker.del(key).toCompletableFuture().get(2, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // it expires on its own; until then later pods skip registration
                }
            }
            return Outcome.FAILED;
        }
    }
}
