package dev.chopsticks.podrunner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One HTTP readiness probe against a local process: success is a 2xx or 3xx answer, as for the kubelet. */
final class ReadinessCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    boolean ready(int port, String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + p))
                .timeout(TIMEOUT)
                .header("User-Agent", "kube-probe/pod-runner")
                .GET()
                .build();
        try {
            int code =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code >= 200 && code < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
