package dev.chopsticks.bot.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where PostgreSQL (or PgBouncer) is and how big the pool is.
 *
 * @param jdbcUrl  JDBC URL without credentials
 * @param user     empty when the JDBC URL carries it as a parameter
 * @param password empty when none was given
 */
public record PostgresConfig(
        String jdbcUrl, Optional<String> user, Optional<Secret> password, int poolMax, int poolMin) {

    static final String URL_RULE = "must be postgres://user:pass@host:port/db or jdbc:postgresql://host:port/db";

    public static PostgresConfig fromEnv(EnvReader env) {
        String raw = env.required("POSTGRES_URL", URL_RULE.replace("must be ", ""));
        ParsedUrl parsed = parse(raw);
        int max = env.intInRange("PG_POOL_MAX", 10, 1, 1000);
        int min = env.intInRange("PG_POOL_MIN", Math.min(2, max), 0, max);
        // The operator keeps the password out of the URL (it would show in the pod spec) and passes it from the
        // Secret as PGPASSWORD / POSTGRES_PASSWORD; a password in the URL wins.
        // Both names are looked up even when the first is set: they are the variables this process knows.
        Optional<String> pgPassword = env.optional("PGPASSWORD");
        Optional<String> postgresPassword = env.optional("POSTGRES_PASSWORD");
        Optional<Secret> password =
                parsed.password().or(() -> pgPassword.or(() -> postgresPassword).map(Secret::new));
        return new PostgresConfig(parsed.jdbcUrl(), parsed.user(), password, max, min);
    }

    record ParsedUrl(String jdbcUrl, Optional<String> user, Optional<Secret> password) {}

    /** Converts the guide's postgres:// URL to JDBC; never echoes the value, since it holds a password. */
    static ParsedUrl parse(String raw) {
        if (raw.startsWith("jdbc:postgresql://")) {
            return new ParsedUrl(raw, Optional.empty(), Optional.empty());
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigException("POSTGRES_URL", URL_RULE + " (value is not a valid URL)");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("postgres") || scheme.equals("postgresql"))) {
            throw new ConfigException("POSTGRES_URL", URL_RULE + " (unsupported scheme)");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("POSTGRES_URL", URL_RULE + " (no host)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1) {
            throw new ConfigException("POSTGRES_URL", URL_RULE + " (no database name)");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hostPart(uri.getHost()));
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            user = Optional.of(decode(rawUser)).filter(u -> !u.isEmpty());
            if (colon >= 0) {
                password = Optional.of(new Secret(decode(userInfo.substring(colon + 1))));
            }
        }
        return new ParsedUrl(jdbc.toString(), user, password);
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
