package dev.chopsticks.bot.external;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * All circuit breakers of the process (one per upstream plus Redis) and their time limiters, exported to Micrometer.
 */
public final class ExternalBreakers implements AutoCloseable {
    private final CircuitBreakerRegistry breakers;
    private final TimeLimiterRegistry limiters;
    private final BreakerSettings settings;
    private final ScheduledExecutorService timeouts;

    public ExternalBreakers(BreakerSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.breakers = CircuitBreakerRegistry.of(settings.circuitBreakerConfig());
        this.limiters = TimeLimiterRegistry.of(settings.timeLimiterConfig());
        this.timeouts = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("upstream-timeouts"));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(limiters).bindTo(meters);
    }

    public CircuitBreakerRegistry registry() {
        return breakers;
    }

    public BreakerSettings settings() {
        return settings;
    }

    public CircuitBreaker breaker(String service) {
        return breakers.circuitBreaker(service);
    }

    TimeLimiter limiter(String service) {
        return limiters.timeLimiter(service);
    }

    ScheduledExecutorService timeoutScheduler() {
        return timeouts;
    }

    /** name → "closed" | "open" | "half_open" ..., sorted by name. */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        breakers.getAllCircuitBreakers().stream()
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(b -> states.put(b.getName(), b.getState().name().toLowerCase(Locale.ROOT)));
        return states;
    }

    @Override
    public void close() {
        timeouts.shutdownNow();
    }
}
