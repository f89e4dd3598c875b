package dev.chopsticks.bot.external;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode r = http.getJson(ApiUris.join(base, "/page/summary/" + title));
        return new WikiSummary(
                r.path("title").asText(query),
                r.path("extract").asText(""),
                r.path("content_urls").path("desktop").path("page").asText(""));
    }
}
