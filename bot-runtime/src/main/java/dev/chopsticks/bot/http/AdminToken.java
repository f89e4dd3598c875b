package dev.chopsticks.bot.http;

import dev.chopsticks.bot.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks the admin token in constant time; with no token configured nothing is accepted. */
public final class AdminToken {
    /** What a request presented, as the HTTP status distinguishes it (RFC 9110 401 vs 403). */
    public enum Verdict {
        ACCEPTED,
        /** No credentials: 401, so a client knows to send some. */
        MISSING,
        /** Wrong credentials, or no token configured (nothing would be accepted): 403. */
        REJECTED
    }

    private final byte[] expected;

    public AdminToken(Optional<Secret> token) {
        this.expected =
                token.map(t -> t.reveal().getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Accepts "Bearer TOKEN" in Authorization or the bare token in X-Admin-Token. */
    public boolean accepts(String authorizationHeader, String adminTokenHeader) {
        return check(authorizationHeader, adminTokenHeader) == Verdict.ACCEPTED;
    }

    public Verdict check(String authorizationHeader, String adminTokenHeader) {
        if (expected == null) {
            return Verdict.REJECTED;
        }
        String presented = adminTokenHeader;
        if (presented == null
                && authorizationHeader != null
                && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorizationHeader.substring(7).trim();
        }
        if (presented == null || presented.isEmpty()) {
            return authorizationHeader == null && adminTokenHeader == null ? Verdict.MISSING : Verdict.REJECTED;
        }
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                ? Verdict.ACCEPTED
                : Verdict.REJECTED;
    }
}
