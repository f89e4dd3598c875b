package dev.chopsticks.bot.http;

import dev.chopsticks.bot.data.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /health (liveness), /ready (readiness), /metrics (Prometheus) and /api/internal/status (admin token: 401 without
 * credentials, 403 with wrong ones). Hot endpoints answer from precomputed bytes. Shard processes and the dashboard
 * both serve it, each with its own readiness checks and status document. {@link HttpLimits} keeps slow clients and
 * floods from holding it.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String JSON = "application/json";
    private static final byte[] HEALTH = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORBIDDEN = "{\"error\":\"forbidden\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAUTHORIZED = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.US_ASCII);

    private final Javalin app;

    public OpsHttpServer(
            int port,
            AdminToken adminToken,
            Readiness readiness,
            CachedStatus status,
            PrometheusMeterRegistry metrics) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Gzip only: bodies below Javalin's minimum size (e.g. /health) are sent as-is.
            config.http.compressionStrategy = new CompressionStrategy(null, new Gzip(6));
            HttpLimits.apply(config.jetty, "0.0.0.0", port);
            config.routes.get("/health", ctx -> json(ctx, 200, HEALTH));
            config.routes.get("/ready", ctx -> {
                Map<String, Boolean> checks = readiness.evaluate();
                boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
                json(ctx, ready ? 200 : 503, Json.MAPPER.writeValueAsBytes(Map.of("ready", ready, "checks", checks)));
            });
            config.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
            config.routes.get("/api/internal/status", ctx -> {
                switch (adminToken.check(ctx.header("Authorization"), ctx.header("X-Admin-Token"))) {
                    case ACCEPTED -> json(ctx, 200, status.json());
                    case MISSING -> {
                        ctx.header("WWW-Authenticate", "Bearer realm=\"chopsticks\"");
                        json(ctx, 401, UNAUTHORIZED);
                    }
                    case REJECTED -> json(ctx, 403, FORBIDDEN);
                }
            });
        });
    }

    private static void json(Context ctx, int code, byte[] body) {
        ctx.status(code).contentType(JSON).result(body);
    }

    public OpsHttpServer start() {
        app.start();
        log.info("HTTP server listening on port {}", app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
