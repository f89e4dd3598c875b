package dev.chopsticks.bot.cache;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis behind a circuit breaker and a short timeout. Never throws: callers get "unavailable" and fall back to
 * PostgreSQL, so a dead or slow Redis is invisible to users.
 */
public final class ResilientRedis {
    private static final Logger log = LoggerFactory.getLogger(ResilientRedis.class);

    private final RedisOps redis;
    private final CircuitBreaker breaker;
    private final Duration timeout;
    private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();

    public ResilientRedis(RedisOps redis, CircuitBreaker breaker, Duration timeout) {
        this.redis = redis;
        this.breaker = breaker;
        this.timeout = timeout;
        breaker.getEventPublisher().onStateTransition(e -> {
            log.info(
                    "redis breaker {} -> {}",
                    e.getStateTransition().getFromState(),
                    e.getStateTransition().getToState());
            if (e.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                recoveryListeners.forEach(Runnable::run);
            }
        });
    }

    /** Opens on half the calls failing or being slower than half the timeout; probes again after {@code openWait}. */
    public static CircuitBreakerConfig breakerConfig(Duration timeout, Duration openWait) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(timeout.dividedBy(2))
                .slowCallRateThreshold(50)
                .waitDurationInOpenState(openWait)
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordExceptions(Throwable.class)
                .build();
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Runs when the breaker closes again (listeners must not block: it fires inside some Redis call). */
    public void onRecovery(Runnable listener) {
        recoveryListeners.add(listener);
    }

    public L2Result get(String key) {
        Reply<String> reply = call(() -> redis.get(key), "GET");
        if (!reply.ok()) {
            return L2Result.UNAVAILABLE;
        }
        return reply.value() == null ? L2Result.MISS : new L2Result.Hit(reply.value());
    }

    public boolean setIfNewer(String key, long revision, String payload, Duration ttl) {
        return call(() -> redis.setIfNewer(key, revision, payload, ttl), "SET").ok();
    }

    /**
     * Asynchronous {@code SET NX PX} under the same breaker and timeout as the other calls, for callers that must not
     * block (a gateway event thread). Completes normally, never exceptionally, and on a Redis or timer thread: hand
     * real work to an executor.
     */
    public CompletionStage<ClaimOutcome> setIfAbsent(String key, String value, Duration ttl) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(ClaimOutcome.UNAVAILABLE);
        }
        long start = System.nanoTime();
        CompletableFuture<Boolean> op;
        try {
            // A dependent stage: the timeout must not complete Lettuce's own command future.
            op = redis.setIfAbsent(key, value, ttl).toCompletableFuture().thenApply(set -> set);
        } catch (RuntimeException e) {
            op = CompletableFuture.failedFuture(e);
        }
        return op.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((set, error) -> {
            long took = System.nanoTime() - start;
            if (error != null) {
                breaker.onError(took, TimeUnit.NANOSECONDS, error);
                log.debug("redis SETNX failed: {}", error.toString());
                return ClaimOutcome.UNAVAILABLE;
            }
            breaker.onResult(took, TimeUnit.NANOSECONDS, set);
            return Boolean.TRUE.equals(set) ? ClaimOutcome.CLAIMED : ClaimOutcome.TAKEN;
        });
    }

    public boolean del(String key) {
        return call(() -> redis.del(key), "DEL").ok();
    }

    public boolean publish(String channel, String message) {
        return call(() -> redis.publish(channel, message), "PUBLISH").ok();
    }

    public boolean ping() {
        return call(redis::ping, "PING").ok();
    }

    public void subscribe(String channel, Consumer<String> listener) {
        redis.subscribe(channel, listener);
    }

    /** See {@link RedisOps#onSubscribed}. */
    public void onSubscribed(String channel, Runnable listener) {
        redis.onSubscribed(channel, listener);
    }

    private record Reply<T>(boolean ok, T value) {}

    private <T> Reply<T> call(Supplier<CompletionStage<T>> op, String what) {
        if (!breaker.tryAcquirePermission()) {
            return new Reply<>(false, null);
        }
        long start = System.nanoTime();
        try {
            T result = op.get().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            breaker.onResult(System.nanoTime() - start, TimeUnit.NANOSECONDS, result);
            return new Reply<>(true, result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            breaker.releasePermission();
            return new Reply<>(false, null);
        } catch (Exception e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            log.debug("redis {} failed: {}", what, e.toString());
            return new Reply<>(false, null);
        }
    }
}
