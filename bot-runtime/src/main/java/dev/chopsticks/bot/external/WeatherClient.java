package dev.chopsticks.bot.external;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** wttr.in's JSON format ({@code GET /{place}?format=j1}). */
public final class WeatherClient {
    private final URI base;
    private final GuardedHttp http;

    public WeatherClient(URI base, GuardedHttp http) {
        this.base = base;
        this.http = http;
    }

    public Weather current(String place) {
        String path =
                "/" + URLEncoder.encode(place.strip(), StandardCharsets.UTF_8).replace("+", "%20") + "?format=j1";
        JsonNode root = http.getJson(ApiUris.join(base, path));
        JsonNode now = root.path("current_condition").path(0);
        JsonNode area = root.path("nearest_area").path(0);
        if (now.isMissingNode()) {
            throw new NotFoundException("weather for " + place);
        }
        return new Weather(
                area.path("areaName").path(0).path("value").asText(place),
                area.path("country").path(0).path("value").asText(""),
                now.path("temp_C").asInt(),
                now.path("FeelsLikeC").asInt(),
                now.path("weatherDesc").path(0).path("value").asText("?"),
                now.path("humidity").asInt(),
                now.path("windspeedKmph").asInt());
    }
}
