package dev.chopsticks.bot.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.config.LoadTestConfig;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.bot.data.PoolStats;
import dev.chopsticks.bot.http.AdminToken;
import dev.chopsticks.bot.http.CachedStatus;
import dev.chopsticks.bot.http.OpsHttpServer;
import dev.chopsticks.bot.http.Readiness;
import dev.chopsticks.bot.http.StatusSources;
import dev.chopsticks.bot.metrics.MetricsRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadTestTest {
    private OpsHttpServer server;

    @BeforeEach
    void start() {
        StatusSources sources =
                new StatusSources(List::of, Map::of, () -> new PoolStats(0, 0, 0, 0, 1), Map::of, Map::of);
        server = new OpsHttpServer(
                        0,
                        new AdminToken(Optional.of(new Secret("tok"))),
                        new Readiness(),
                        new CachedStatus(sources, Duration.ofMillis(250)),
                        MetricsRegistry.prometheus())
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private LoadTestReport run(String token, ByteArrayOutputStream out) throws Exception {
        LoadTestConfig config = new LoadTestConfig(
                URI.create("http://127.0.0.1:" + server.port()),
                Duration.ofSeconds(2),
                2,
                Optional.ofNullable(token).map(Secret::new));
        return new LoadTest(config, new PrintStream(out, true)).run();
    }

    @Test
    void passesWithTheTokenAndPrintsProgressEverySecond() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoadTestReport report = run("tok", out);
        assertThat(report.requests()).isPositive();
        assertThat(report.errors()).isZero();
        assertThat(report.passed()).isTrue();
        assertThat(report.p50Ms()).isPositive().isLessThanOrEqualTo(report.p99Ms());
        assertThat(out.toString()).contains("  1s  rps=");
        assertThat(report.summary()).contains("PASS", "p99=", "rps=");
    }

    @Test
    void countsNon2xxAsErrorsAndFails() throws Exception {
        LoadTestReport report = run("wrong", new ByteArrayOutputStream());
        assertThat(report.non2xx()).isPositive();
        assertThat(report.passed()).isFalse();
        assertThat(report.summary()).contains("FAIL");
    }

    @Test
    void failsOnSlowP99() {
        LoadTestReport slow = new LoadTestReport(100, 1, 100, 10, 501, 600, 0, 0, 1);
        assertThat(slow.passed()).isFalse();
    }
}
