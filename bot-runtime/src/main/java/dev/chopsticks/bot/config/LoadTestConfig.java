package dev.chopsticks.bot.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The guide's load test knobs. */
public record LoadTestConfig(URI dashboardUrl, Duration duration, int connections, Optional<Secret> adminToken) {

    public static LoadTestConfig fromEnv(EnvReader env) {
        return new LoadTestConfig(
                env.uri("DASHBOARD_URL", "http://localhost:8080", Set.of("http")),
                Duration.ofSeconds(env.intInRange("LOADTEST_DURATION", 10, 1, 3600)),
                env.intInRange("LOADTEST_CONNECTIONS", 10, 1, 10_000),
                env.secret("ADMIN_TOKEN"));
    }
}
