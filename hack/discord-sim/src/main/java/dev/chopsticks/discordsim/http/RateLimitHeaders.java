package dev.chopsticks.discordsim.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;

/** Discord's rate-limit headers and 429 body for a {@link RateLimiter} decision. */
final class RateLimitHeaders {
    private RateLimitHeaders() {}

    /** The bucket's state on an allowed request. */
    static void allowed(ApiResponse response, RateLimiter.Decision d) {
        response.header("X-RateLimit-Limit", Integer.toString(d.limit()))
                .header("X-RateLimit-Remaining", Integer.toString(d.remaining()))
                .header("X-RateLimit-Reset", seconds(d.resetAtMs()))
                .header("X-RateLimit-Reset-After", seconds(d.resetAfterMs()))
                .header("X-RateLimit-Bucket", d.bucket());
    }

    /** The 429 for a refused request: global, or the route bucket's. */
    static ApiResponse tooManyRequests(ApiResponse response, RateLimiter.Decision d) {
        double retryAfter = Math.max(0.001, d.resetAfterMs() / 1000.0);
        response.header("Retry-After", Long.toString((long) Math.ceil(retryAfter)))
                .header("X-RateLimit-Scope", d.global() ? "global" : "user");
        if (d.global()) {
            response.header("X-RateLimit-Global", "true");
        } else {
            response.header("X-RateLimit-Limit", Integer.toString(d.limit()))
                    .header("X-RateLimit-Remaining", "0")
                    .header("X-RateLimit-Reset", seconds(d.resetAtMs()))
                    .header("X-RateLimit-Reset-After", seconds(Math.max(1, d.resetAfterMs())))
                    .header("X-RateLimit-Bucket", d.bucket());
        }
        ObjectNode body = Json.object()
                .put("message", "You are being rate limited.")
                .put("retry_after", retryAfter)
                .put("global", d.global())
                .put("code", 0);
        return response.status(429).json(Json.write(body));
    }

    /** Seconds with millisecond precision, as Discord formats rate-limit times (cheaper than String.format). */
    private static String seconds(long ms) {
        long millis = Math.floorMod(ms, 1000);
        return Math.floorDiv(ms, 1000) + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + millis;
    }
}
