package dev.chopsticks.bot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.bot.config.DashboardConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.data.Json;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard on real PostgreSQL (through PgBouncer) and Redis: its overview shows what the shards wrote, and a
 * Redis that dies only degrades it (still ready, still serving), until Redis is back.
 */
class DashboardApplicationIT {
    private static final String TOKEN = "dashboard-it-admin-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private RedisProcess redis;
    private DashboardApplication app;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_URL", SharedServices.pgBouncer().postgresUrl());
        env.put("REDIS_URL", redis.url());
        env.put("HTTP_PORT", "0");
        env.put("ADMIN_TOKEN", TOKEN);
        env.put("CHOPSTICKS_CLUSTER", "it");
        env.put("DASHBOARD_REFRESH_SECONDS", "1");
        app = DashboardApplication.start(DashboardConfig.fromEnv(new EnvReader(env)));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        redis.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode status() throws Exception {
        HttpResponse<byte[]> r = get("/api/internal/status", "Authorization", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void overviewShowsWhatTheShardsWrote() throws Exception {
        PostgresProcess pg = SharedServices.postgres();
        try (Connection c = pg.superuser(PostgresProcess.DATABASE);
                Statement s = c.createStatement()) {
            // as CommandUsageFlusher writes it, on today's UTC day
            s.execute("INSERT INTO command_stats (command_name, day, uses) VALUES"
                    + " ('dashboard-it', (now() AT TIME ZONE 'UTC')::date, 7)"
                    + " ON CONFLICT (command_name, day) DO UPDATE SET uses = 7");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("/ready").statusCode()).isEqualTo(200);
            JsonNode doc = status();
            assertThat(doc.at("/overview/commandUsesToday/dashboard-it").asLong())
                    .isEqualTo(7);
            assertThat(doc.at("/overview/schemaVersion").asText()).isEqualTo("1");
            assertThat(doc.at("/state").asText()).isEqualTo("ok");
        });
        JsonNode doc = status();
        assertThat(doc.at("/role").asText()).isEqualTo("dashboard");
        assertThat(doc.at("/cluster").asText()).isEqualTo("it");
        assertThat(doc.at("/dependencies/database").asBoolean()).isTrue();
        assertThat(doc.at("/overview/estimatedRows").has("guild_settings")).isTrue();
        assertThat(get("/api/internal/status").statusCode()).isEqualTo(401);
        assertThat(get("/api/internal/status", "X-Admin-Token", "nope").statusCode())
                .isEqualTo(403);
        assertThat(new String(get("/metrics").body())).contains("chopsticks_dashboard_overview_failures_total");
    }

    @Test
    void redisDownDegradesButKeepsServing() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status().at("/state").asText()).isEqualTo("ok"));
        redis.kill();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode doc = status();
            assertThat(doc.at("/state").asText()).isEqualTo("degraded");
            assertThat(doc.at("/dependencies/redis").asBoolean()).isFalse();
        });
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        redis.startServer();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status().at("/state").asText()).isEqualTo("ok"));
    }
}
