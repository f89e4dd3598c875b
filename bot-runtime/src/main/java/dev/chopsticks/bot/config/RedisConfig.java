package dev.chopsticks.bot.config;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared L2 cache. Exactly one of {@code url} (standalone) and {@code clusterNodes} may be set; neither means
 * "no Redis": the bot runs on L1 + PostgreSQL only, without cross-process invalidation.
 */
public record RedisConfig(
        Optional<Secret> url, List<HostPort> clusterNodes, Duration guildTtl, Duration commandTimeout) {

    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public boolean enabled() {
        return url.isPresent() || !clusterNodes.isEmpty();
    }

    public boolean cluster() {
        return !clusterNodes.isEmpty();
    }

    public static RedisConfig fromEnv(EnvReader env) {
        Optional<String> url = env.optional("REDIS_URL");
        Optional<String> nodes = env.optional("REDIS_CLUSTER_NODES");
        if (url.isPresent() && nodes.isPresent()) {
            throw new ConfigException("REDIS_CLUSTER_NODES", "must not be set together with REDIS_URL (use one)");
        }
        url.ifPresent(RedisConfig::checkUrl);
        // The operator passes the managed Redis password from its Secret as REDIS_PASSWORD, not in the URL.
        Optional<String> password = env.optional("REDIS_PASSWORD");
        if (password.isPresent()) {
            url = url.map(u -> withPassword(u, password.get()));
        }
        List<HostPort> cluster = nodes.map(RedisConfig::parseNodes).orElse(List.of());
        int ttlSec = env.intInRange("GUILD_CACHE_TTL_SEC", 30, 1, 86_400);
        int timeoutMs = env.intInRange("REDIS_TIMEOUT_MS", 250, 10, 10_000);
        return new RedisConfig(url.map(Secret::new), cluster, Duration.ofSeconds(ttlSec), Duration.ofMillis(timeoutMs));
    }

    /** Adds the password to a redis:// URL that has none; a password already in the URL wins. */
    static String withPassword(String raw, String password) {
        URI uri = URI.create(raw);
        if (uri.getRawUserInfo() != null && !uri.getRawUserInfo().isEmpty()) {
            return raw;
        }
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
        int hostStart = raw.indexOf("://") + 3;
        return raw.substring(0, hostStart) + ":" + encoded + "@" + raw.substring(hostStart);
    }

    /** The URL may carry a password, so the message never echoes it. */
    private static void checkUrl(String raw) {
        try {
            URI uri = URI.create(raw);
            String scheme = uri.getScheme();
            if (scheme != null && (scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ConfigException("REDIS_URL", "must be redis://[user:pass@]host:port[/db] or rediss://...");
    }

    static List<HostPort> parseNodes(String raw) {
        List<HostPort> result = new ArrayList<>();
        for (String part : raw.split(",")) {
            String p = part.trim();
            int colon = p.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException();
                }
                int port = Integer.parseInt(p.substring(colon + 1));
                if (port < 1 || port > 65_535) {
                    throw new NumberFormatException();
                }
                result.add(new HostPort(p.substring(0, colon), port));
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        "REDIS_CLUSTER_NODES",
                        "must be a comma-separated list of host:port (port 1-65535), got '" + EnvReader.printable(p)
                                + "'");
            }
        }
        return List.copyOf(result);
    }
}
