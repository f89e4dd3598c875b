package dev.chopsticks.bot.external;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;

/**
 * The guide's opossum settings: timeout 4,500 ms, open at 50 % failures, 30 s before re-testing, at least 5 calls.
 * The open wait is a parameter so tests need not wait 30 s.
 */
public record BreakerSettings(
        Duration timeout, float failureRatePercent, Duration openWait, int minimumCalls, Duration window) {

    public static BreakerSettings guide() {
        return new BreakerSettings(Duration.ofMillis(4500), 50f, Duration.ofSeconds(30), 5, Duration.ofSeconds(10));
    }

    public BreakerSettings withOpenWait(Duration wait) {
        return new BreakerSettings(timeout, failureRatePercent, wait, minimumCalls, window);
    }

    public BreakerSettings withTimeout(Duration t) {
        return new BreakerSettings(t, failureRatePercent, openWait, minimumCalls, window);
    }

    CircuitBreakerConfig circuitBreakerConfig() {
        return CircuitBreakerConfig.custom()
                // opossum keeps a rolling 10 s window of call statistics; a time-based window matches it.
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, window.toSeconds()))
                .failureRateThreshold(failureRatePercent)
                .minimumNumberOfCalls(minimumCalls)
                .waitDurationInOpenState(openWait)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                // Like opossum: one trial call in half-open decides.
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreExceptions(NotFoundException.class)
                .build();
    }

    TimeLimiterConfig timeLimiterConfig() {
        return TimeLimiterConfig.custom()
                .timeoutDuration(timeout)
                .cancelRunningFuture(true)
                .build();
    }
}
