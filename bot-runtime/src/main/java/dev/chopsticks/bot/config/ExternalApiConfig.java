package dev.chopsticks.bot.config;

import java.net.URI;
import java.util.Set;

/** Base URLs of the public APIs behind /weather, /github and /wiki (overridable for tests and mirrors). */
public record ExternalApiConfig(URI weather, URI github, URI wiki) {

    public static ExternalApiConfig fromEnv(EnvReader env) {
        Set<String> http = Set.of("http", "https");
        return new ExternalApiConfig(
                env.uri("WEATHER_API_URL", "https://wttr.in", http),
                env.uri("GITHUB_API_URL", "https://api.github.com", http),
                env.uri("WIKI_API_URL", "https://en.wikipedia.org/api/rest_v1", http));
    }
}
