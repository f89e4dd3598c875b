package dev.chopsticks.bot.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed access to environment variables; every failure is a one-line {@link ConfigException}. It remembers which names
 * were looked up, so a process can say which variables it knows (the operator/bot contract test compares them with
 * what the operator renders).
 */
public final class EnvReader {
    private final Map<String, String> env;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    public EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static EnvReader system() {
        return new EnvReader(System.getenv());
    }

    /** The trimmed value, or empty when unset or blank (blank counts as unset, as in .env files). */
    public Optional<String> optional(String name) {
        read.add(name);
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.trim());
    }

    /** Every name looked up so far, set or not, sorted; names only, never values. */
    public SortedSet<String> namesRead() {
        return new TreeSet<>(read);
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public String required(String name, String whatIsAllowed) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "is required: " + whatIsAllowed));
    }

    public Optional<Secret> secret(String name) {
        return optional(name).map(Secret::new);
    }

    public Secret requiredSecret(String name, String whatIsAllowed) {
        return secret(name).orElseThrow(() -> new ConfigException(name, "is required: " + whatIsAllowed));
    }

    public int intInRange(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new ConfigException(
                name, "must be an integer from " + min + " to " + max + ", got '" + printable(raw.get()) + "'");
    }

    public String oneOf(String name, String fallback, Set<String> allowed) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        String value = raw.get().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new ConfigException(
                    name,
                    "must be one of "
                            + String.join("|", allowed.stream().sorted().toList()) + ", got '" + printable(raw.get())
                            + "'");
        }
        return value;
    }

    /** An absolute URI with one of the given schemes. Values are echoed, so never use this for URLs with passwords. */
    public URI uri(String name, String fallback, Set<String> schemes) {
        String raw = string(name, fallback);
        String allowed = "must be an absolute "
                + String.join("|", schemes.stream().sorted().toList()) + " URL";
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null
                    || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                throw new ConfigException(name, allowed + ", got '" + printable(raw) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(name, allowed + ", got '" + printable(raw) + "'");
        }
    }

    /** Keeps the one-line promise even if someone pastes a multi-line value. */
    static String printable(String raw) {
        String oneLine = raw.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
    }
}
