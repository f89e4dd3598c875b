package dev.chopsticks.bot.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.bot.data.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Wikipedia REST {@code GET /page/summary/{title}}. */
public final class WikiClient {
    private final URI base;
    private final GuardedHttp http;

    public WikiClient(URI base, GuardedHttp http) {
        this.base = base;
        this.http = http;
    }

    public WikiSummary summary(String query) {
        String title = URLEncoder.encode(query.strip().replace(' ', '_'), StandardCharsets.UTF_8);
        String body = http.get(ApiUris.join(base, "/page/summary/" + title));
        try {
            JsonNode r = Json.MAPPER.readTree(body);
            return new WikiSummary(
                    r.path("title").asText(query),
                    r.path("extract").asText(""),
                    r.path("content_urls").path("desktop").path("page").asText(""));
        } catch (JsonProcessingException e) {
            throw new UpstreamException(http.service(), "unreadable answer", false, e);
        }
    }
}
