package dev.chopsticks.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    record State(boolean isStarted, boolean isHealthy, boolean isLeader) implements OperatorHealth {}

    @Test
    void endpoints() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("chopsticks_test").register(registry).increment();
        AtomicReference<State> state = new AtomicReference<>();
        try (var server = new HealthServer(0, state::get, registry)) {
            var http = HttpClient.newHttpClient();
            assertThat(get(http, server, "/readyz").statusCode()).isEqualTo(503);
            assertThat(get(http, server, "/healthz").statusCode()).isEqualTo(200);

            state.set(new State(true, true, false));
            var standby = get(http, server, "/readyz");
            assertThat(standby.statusCode()).isEqualTo(200);
            assertThat(standby.body()).contains("standby");

            state.set(new State(true, false, true));
            assertThat(get(http, server, "/healthz").statusCode()).isEqualTo(503);
            state.set(new State(true, true, true));
            assertThat(get(http, server, "/readyz").body()).contains("leader");

            var metrics = get(http, server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("chopsticks_test_total 1.0");
        }
    }

    /**
     * Slow-loris: {@value #SLOW_CLIENTS} clients open a connection and send their request headers a byte every 200 ms,
     * never finishing them. The JDK HttpServer this replaced read headers on one of its two threads, so two such
     * clients kept /healthz from answering at all.
     */
    static final int SLOW_CLIENTS = 50;

    @Test
    void slowHeaderClientsDoNotHoldHealthz() throws Exception {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        List<Socket> slow = new ArrayList<>();
        try (var server = new HealthServer(0, () -> new State(true, true, true), registry)) {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(50);
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            AtomicLong dripped = new AtomicLong();
            drip.scheduleAtFixedRate(
                    () -> {
                        for (Socket s : slow) {
                            try {
                                s.getOutputStream().write('x');
                                dripped.incrementAndGet();
                            } catch (IOException closed) {
                                // the server closed it: what it should do
                            }
                        }
                    },
                    0,
                    200,
                    TimeUnit.MILLISECONDS);

            var http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            List<Long> millis = new CopyOnWriteArrayList<>();
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                                        .timeout(Duration.ofSeconds(1))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        millis.add((System.nanoTime() - t0) / 1_000_000);
                        return r.statusCode() == 200;
                    });
            long worst = millis.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf(
                    "health server under %d slow-header clients: %d /healthz probes, all 200, slowest %d ms"
                            + " (%d header bytes dripped)%n",
                    SLOW_CLIENTS, millis.size(), worst, dripped.get());
            assertThat(worst).isLessThan(1000);

            // and the server lets go of them: no request may take longer than the deadline to arrive
            long t0 = System.nanoTime();
            await().atMost(HealthServer.CONNECTION_DEADLINE.plusSeconds(5))
                    .until(() -> slow.stream().allMatch(HealthServerTest::closedByPeer));
            System.out.printf(
                    "all %d slow-header connections closed by the server %d ms after the probes%n",
                    SLOW_CLIENTS, (System.nanoTime() - t0) / 1_000_000);
        } finally {
            drip.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static boolean closedByPeer(Socket s) {
        try {
            // whatever the server sent before closing (an error status, say), then the end of the stream
            while (s.getInputStream().read() != -1) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static HttpResponse<String> get(HttpClient http, HealthServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
