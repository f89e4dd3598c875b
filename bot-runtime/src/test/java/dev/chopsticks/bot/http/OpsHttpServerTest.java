package dev.chopsticks.bot.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.bot.data.Json;
import dev.chopsticks.bot.data.PoolStats;
import dev.chopsticks.bot.metrics.MetricsRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {
    static final String TOKEN = "admin-secret-token-123";
    private final AtomicBoolean gateway = new AtomicBoolean(false);
    private final HttpClient http = HttpClient.newHttpClient();
    private OpsHttpServer server;
    private PrometheusMeterRegistry metrics;

    static StatusSources sources() {
        return new StatusSources(
                () -> List.of(new ShardStatus(0, "CONNECTED", 42, 7)),
                () -> Map.of("guild", new CacheStats(3, 90, 10, 5, 5, 0, 5, 0)),
                () -> new PoolStats(1, 2, 3, 0, 10),
                () -> Map.of("redis", "CLOSED", "weather", "OPEN"),
                () -> Map.of("redis", true, "database", true));
    }

    @BeforeEach
    void start() {
        metrics = MetricsRegistry.prometheus();
        metrics.counter("chopsticks.test.marker").increment();
        Readiness readiness = new Readiness().add("gateway", gateway::get).add("database", () -> true);
        server = new OpsHttpServer(
                        0,
                        new AdminToken(Optional.of(new Secret(TOKEN))),
                        readiness,
                        new CachedStatus(sources(), Duration.ofMillis(250)),
                        metrics)
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void healthIsAlwaysOk() throws Exception {
        HttpResponse<byte[]> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body())).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    @Test
    void readyFollowsTheReadinessSources() throws Exception {
        HttpResponse<byte[]> notReady = get("/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(notReady.body()).at("/checks/gateway").asBoolean())
                .isFalse();
        gateway.set(true);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void statusNeedsTheAdminTokenAndNeverShowsIt() throws Exception {
        HttpResponse<byte[]> none = get("/api/internal/status");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"chopsticks\"");
        assertThat(new String(none.body())).isEqualTo("{\"error\":\"unauthorized\"}");
        HttpResponse<byte[]> wrong = get("/api/internal/status", "Authorization", "Bearer wrong");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(new String(wrong.body())).isEqualTo("{\"error\":\"forbidden\"}");
        assertThat(get("/api/internal/status", "Authorization", "Basic x").statusCode())
                .isEqualTo(403);
        assertThat(get("/api/internal/status", "Authorization", "Bearer " + TOKEN.substring(0, 5))
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<byte[]> ok = get("/api/internal/status", "Authorization", "Bearer " + TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(ok.body());
        assertThat(doc.at("/shards/0/status").asText()).isEqualTo("CONNECTED");
        assertThat(doc.at("/caches/guild/l1HitRate").asDouble()).isEqualTo(0.9);
        assertThat(doc.at("/pool/max").asInt()).isEqualTo(10);
        assertThat(doc.at("/breakers/weather").asText()).isEqualTo("OPEN");
        assertThat(new String(ok.body())).doesNotContain(TOKEN);
        assertThat(get("/api/internal/status", "X-Admin-Token", TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void metricsArePrometheusTextAndLargeBodiesAreGzipped() throws Exception {
        HttpResponse<byte[]> plain = get("/metrics");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(new String(plain.body())).contains("chopsticks_test_marker_total", "jvm_memory_used_bytes");

        HttpResponse<byte[]> gz = get("/metrics", "Accept-Encoding", "gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes());
        assertThat(unzipped).contains("chopsticks_test_marker_total");
        assertThat(gz.body().length).isLessThan(plain.body().length / 2);
    }

    @Test
    void noAdminTokenConfiguredMeansStatusIsAlwaysForbidden() {
        AdminToken none = new AdminToken(Optional.empty());
        assertThat(none.accepts("Bearer ", "")).isFalse();
        assertThat(none.accepts(null, null)).isFalse();
        // nothing would be accepted, so no credentials is 403 too, not an invitation to send some
        assertThat(none.check(null, null)).isEqualTo(AdminToken.Verdict.REJECTED);
        AdminToken some = new AdminToken(Optional.of(new Secret(TOKEN)));
        assertThat(some.check(null, null)).isEqualTo(AdminToken.Verdict.MISSING);
        assertThat(some.check("Bearer ", null)).isEqualTo(AdminToken.Verdict.REJECTED);
        assertThat(some.check(null, TOKEN)).isEqualTo(AdminToken.Verdict.ACCEPTED);
    }
}
