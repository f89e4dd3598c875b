package dev.chopsticks.operator.metrics;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the Kubernetes API requests the operator's client makes, by HTTP method; installed as a Fabric8 HTTP
 * interceptor. Exposed on /metrics, printed by the convergence benchmark, and used by tests to prove that a
 * reconcile of an unchanged cluster writes nothing. Also keeps the last few write request lines (method and
 * path, never bodies) for test diagnostics.
 */
public final class ApiRequestCounter implements Interceptor {
    public static final String NAME = "chopsticks-request-counter";
    private static final int KEEP_WRITES = 200;

    private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
    private final List<String> recentWrites = new ArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String method = request.method();
        byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
        if (isWrite(method)) {
            synchronized (recentWrites) {
                if (recentWrites.size() == KEEP_WRITES) {
                    recentWrites.remove(0);
                }
                recentWrites.add(method + " " + request.uri().getPath());
            }
        }
    }

    public static boolean isWrite(String method) {
        return !"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method);
    }

    public long total() {
        return byMethod.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long writes() {
        return byMethod.entrySet().stream()
                .filter(e -> isWrite(e.getKey()))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    public long count(String method) {
        LongAdder a = byMethod.get(method);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byMethod.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Write requests (method and path) recorded since the given writes() count, oldest first, best effort. */
    public List<String> recentWrites() {
        synchronized (recentWrites) {
            return List.copyOf(recentWrites);
        }
    }
}
