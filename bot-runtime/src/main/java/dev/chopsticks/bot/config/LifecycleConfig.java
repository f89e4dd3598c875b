package dev.chopsticks.bot.config;

import java.time.Duration;

/**
 * Process life cycle.
 *
 * @param shutdownGrace SIGTERM to exit at the latest (keep below the pod's terminationGracePeriodSeconds, 30)
 */
public record LifecycleConfig(Duration shutdownGrace) {

    public static LifecycleConfig defaults() {
        return new LifecycleConfig(Duration.ofSeconds(25));
    }

    public static LifecycleConfig fromEnv(EnvReader env) {
        return new LifecycleConfig(Duration.ofSeconds(env.intInRange("SHUTDOWN_GRACE_SECONDS", 25, 1, 3_600)));
    }
}
