package dev.chopsticks.bot.external;

import java.net.URI;

/** Appends a path to a configurable base URL that may itself have a path (e.g. /api/rest_v1). */
final class ApiUris {
    private ApiUris() {}

    static URI join(URI base, String pathAndQuery) {
        String b = base.toString();
        if (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathAndQuery);
    }
}
