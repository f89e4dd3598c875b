package dev.chopsticks.bot.config;

import java.util.Optional;

/** The health/metrics/status HTTP server. No admin token means the status endpoint always answers 403. */
public record HttpConfig(int port, Optional<Secret> adminToken) {

    public static HttpConfig fromEnv(EnvReader env) {
        return new HttpConfig(env.intInRange("HTTP_PORT", 8080, 0, 65_535), env.secret("ADMIN_TOKEN"));
    }
}
