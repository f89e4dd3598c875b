package dev.chopsticks.discordsim.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** Status, headers and an optional JSON body. */
public final class ApiResponse {
    private int status = 200;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;

    public ApiResponse status(int value) {
        status = value;
        return this;
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ApiResponse json(String value) {
        body = value;
        headers.put("Content-Type", "application/json");
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Null for 204. */
    public String body() {
        return body;
    }
}
