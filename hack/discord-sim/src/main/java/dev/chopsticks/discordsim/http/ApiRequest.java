package dev.chopsticks.discordsim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.chopsticks.discordsim.errors.DiscordApiException;
import dev.chopsticks.discordsim.errors.FormErrors;
import dev.chopsticks.discordsim.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** An HTTP API request, independent of the server library. Header lookup is case-insensitive. */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, String> query,
        Function<String, String> headers,
        byte[] body) {

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    public String header(String name) {
        return headers.apply(name);
    }

    /** A path parameter that must be a snowflake; anything else is Discord's 50035 on {@code <param>_id}. */
    long snowflake(String param) {
        String raw = pathParam(param);
        try {
            return Long.parseUnsignedLong(raw);
        } catch (NumberFormatException e) {
            throw DiscordApiException.invalidFormBody(new FormErrors()
                    .add("NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not snowflake.", param + "_id"));
        }
    }

    /** JSON body, or the {@code payload_json} part of a multipart upload; missing when there is none. */
    JsonNode json() throws JsonProcessingException {
        String contentType = header("Content-Type");
        String text;
        if (contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
            text = MultipartPayload.payloadJson(contentType, body);
            if (text == null) {
                return Json.object();
            }
        } else {
            text = new String(body, StandardCharsets.UTF_8);
        }
        if (text.isBlank()) {
            return MissingNode.getInstance();
        }
        JsonNode node = Json.parse(text);
        return node == null ? MissingNode.getInstance() : node;
    }

    ApiRequest withPathParams(Map<String, String> params) {
        return new ApiRequest(method, path, params, query, headers, body);
    }

    /** First value of each parameter of a raw query string. */
    public static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
