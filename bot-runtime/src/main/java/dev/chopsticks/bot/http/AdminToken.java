package dev.chopsticks.bot.http;

import dev.chopsticks.bot.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks the admin token in constant time; with no token configured nothing is accepted. */
public final class AdminToken {
    private final byte[] expected;

    public AdminToken(Optional<Secret> token) {
        this.expected =
                token.map(t -> t.reveal().getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Accepts "Bearer TOKEN" in Authorization or the bare token in X-Admin-Token. */
    public boolean accepts(String authorizationHeader, String adminTokenHeader) {
        if (expected == null) {
            return false;
        }
        String presented = adminTokenHeader;
        if (presented == null
                && authorizationHeader != null
                && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorizationHeader.substring(7).trim();
        }
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
