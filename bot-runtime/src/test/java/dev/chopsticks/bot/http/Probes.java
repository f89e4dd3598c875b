package dev.chopsticks.bot.http;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Probes as the kubelet sends them: a new connection per request, {@code Connection: close}, a 1 s timeout. Each GET
 * of the given paths, in turn, every 250 ms for 3 s; each must answer 200 within the timeout.
 */
final class Probes {
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final int port;
    private final List<Request> requests;
    private final List<Long> millis = new CopyOnWriteArrayList<>();
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();

    /** A path and any further header lines, each ending in CRLF. */
    record Request(String path, String headers) {}

    Probes(int port, List<Request> requests) {
        this.port = port;
        this.requests = requests;
    }

    Probes run() {
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Request request = requests.get(millis.size() % requests.size());
                    long t0 = System.nanoTime();
                    int status = get(request);
                    millis.add((System.nanoTime() - t0) / 1_000_000);
                    statuses.add(status);
                    return status == 200;
                });
        return this;
    }

    int count() {
        return millis.size();
    }

    List<Integer> statuses() {
        return statuses;
    }

    long slowestMillis() {
        return millis.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private int get(Request request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            String http = "GET " + request.path() + " HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n"
                    + request.headers() + "\r\n";
            s.getOutputStream().write(http.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
        }
    }
}
