package dev.chopsticks.discordsim.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches {@code /users/@me}-style templates with {@code {param}} segments; first registered wins. */
final class ApiRouter<T> {
    record Match<T>(T target, Map<String, String> params) {}

    private record Entry<T>(String method, String[] segments, T target) {}

    private final List<Entry<T>> entries = new ArrayList<>();

    void add(String method, String template, T target) {
        entries.add(new Entry<>(method, split(template), target));
    }

    /** The route for method and path; {@code null} target with a non-null match means "path exists, method does not". */
    Match<T> match(String method, String path) {
        String[] segments = split(path);
        boolean pathExists = false;
        for (Entry<T> e : entries) {
            Map<String, String> params = bind(e.segments(), segments);
            if (params != null) {
                if (e.method().equals(method)) {
                    return new Match<>(e.target(), params);
                }
                pathExists = true;
            }
        }
        return pathExists ? new Match<>(null, Map.of()) : null;
    }

    private static Map<String, String> bind(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{")) {
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String[] split(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
