package dev.chopsticks.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static HttpResponse<String> get(HttpClient http, HealthServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
