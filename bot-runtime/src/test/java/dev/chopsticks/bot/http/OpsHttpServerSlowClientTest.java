package dev.chopsticks.bot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.config.LoadTestConfig;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.bot.loadtest.LoadTest;
import dev.chopsticks.bot.loadtest.LoadTestReport;
import dev.chopsticks.bot.metrics.MetricsRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow-loris against the ops server, as shard pods and the dashboard run it: {@value #SLOW_CLIENTS} clients hold
 * connections with requests that never finish arriving while /health (the kubelet's liveness probe: a held probe
 * restarts a healthy shard, which costs a Discord IDENTIFY) and /api/internal/status (the dashboard's status) are
 * probed. Every probe must answer 200 within 1 s, and the server must close the slow connections within the request
 * deadline.
 */
class OpsHttpServerSlowClientTest {
    static final int SLOW_CLIENTS = 50;
    /** The deadline, plus slack for scheduling and for the clients' 200 ms rounds that notice a close. */
    static final Duration CLOSED_WITHIN = HttpLimits.REQUEST_DEADLINE.plusSeconds(1);

    private static final List<Probes.Request> PROBES = List.of(
            new Probes.Request("/health", ""),
            new Probes.Request("/api/internal/status", "Authorization: Bearer " + OpsHttpServerTest.TOKEN + "\r\n"));

    private OpsHttpServer server;

    @BeforeEach
    void start() {
        server = new OpsHttpServer(
                        0,
                        new AdminToken(Optional.of(new Secret(OpsHttpServerTest.TOKEN))),
                        new Readiness(),
                        new CachedStatus(OpsHttpServerTest.sources(), Duration.ofMillis(250)),
                        MetricsRegistry.prometheus())
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void slowHeaderClientsDoNotHoldHealthOrStatus() throws Exception {
        int held = underSlowClients("slow-header", "GET /health HTTP/1.1\r\nHost: x\r\n");
        // the probes ran (3 s) within the deadline (5 s), against all of them
        assertThat(held).isEqualTo(SLOW_CLIENTS);
    }

    /**
     * The server has no POST endpoints (the dashboard neither) and no endpoint reads a body, so Jetty closes these
     * long before the deadline.
     */
    @Test
    void slowBodyClientsDoNotHoldHealthOrStatus() throws Exception {
        underSlowClients(
                "slow-body",
                "POST /api/internal/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{");
    }

    /** The deadline is on a request arriving, not on a connection's age: the load test keeps its connections. */
    @Test
    void keepAliveConnectionsOutliveTheDeadline() throws Exception {
        LoadTestConfig config = new LoadTestConfig(
                URI.create("http://127.0.0.1:" + server.port()),
                HttpLimits.REQUEST_DEADLINE.plusSeconds(2),
                2,
                Optional.of(new Secret(OpsHttpServerTest.TOKEN)));
        LoadTestReport report = new LoadTest(config, new PrintStream(OutputStream.nullOutputStream())).run();
        System.out.println("keep-alive load test past the request deadline: " + report.summary());
        assertThat(report.requests()).isPositive();
        assertThat(report.socketErrors()).isZero();
        assertThat(report.non2xx()).isZero();
    }

    /** Returns how many slow clients were still connected when the probes ended. */
    private int underSlowClients(String kind, String requestStart) throws Exception {
        try (SlowClients slow = new SlowClients(server.port(), SLOW_CLIENTS, requestStart)) {
            Probes probes = new Probes(server.port(), PROBES).run();
            int stillOpen = slow.count() - slow.closedByServer();
            System.out.printf(
                    "ops server under %d %s clients (%d still connected after the probes): %d probes of /health"
                            + " and /api/internal/status, statuses %s, slowest %d ms (%d bytes dripped)%n",
                    slow.count(),
                    kind,
                    stillOpen,
                    probes.count(),
                    probes.statuses().stream().distinct().toList(),
                    probes.slowestMillis(),
                    slow.bytesDripped());
            assertThat(probes.statuses()).containsOnly(200);
            assertThat(probes.slowestMillis()).isLessThan(Probes.TIMEOUT.toMillis());

            Duration last = slow.awaitAllClosed(CLOSED_WITHIN.plusSeconds(30));
            System.out.printf(
                    "all %d %s connections closed by the server, the last %d ms after it opened (deadline %d ms)%n",
                    slow.count(), kind, last.toMillis(), HttpLimits.REQUEST_DEADLINE.toMillis());
            assertThat(last).isLessThanOrEqualTo(CLOSED_WITHIN);
            return stillOpen;
        }
    }
}
