package dev.chopsticks.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /healthz} (liveness: informers healthy while leading), {@code /readyz} (started; a standby replica is
 * ready too, so rolling updates of the two-replica Deployment proceed) and {@code /metrics} (Prometheus text).
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    public HealthServer(int port, Supplier<? extends OperatorHealth> operator, PrometheusMeterRegistry registry)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/healthz", ex -> {
            OperatorHealth op = operator.get();
            boolean ok = op == null || op.isHealthy();
            respond(ex, ok ? 200 : 503, ok ? "ok\n" : "informers unhealthy\n", "text/plain");
        });
        server.createContext("/readyz", ex -> {
            OperatorHealth op = operator.get();
            boolean ready = op != null && op.isStarted();
            String body = !ready ? "starting\n" : op.isLeader() ? "ready (leader)\n" : "ready (standby)\n";
            respond(ex, ready ? 200 : 503, body, "text/plain");
        });
        server.createContext(
                "/metrics", ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int code, String body, String type) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(code, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
