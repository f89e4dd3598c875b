package dev.chopsticks.bot.external;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local stand-in for an external API that can answer, fail with 500, 404 or hang. */
public final class FakeUpstream implements AutoCloseable {
    public enum Mode {
        OK,
        FAIL,
        NOT_FOUND,
        HANG
    }

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;
    private volatile String body = "{}";
    private volatile String lastPath;

    public FakeUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            lastPath = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            try {
                switch (mode) {
                    case HANG -> {
                        release.await(30, TimeUnit.SECONDS);
                        exchange.sendResponseHeaders(503, -1);
                    }
                    case FAIL -> exchange.sendResponseHeaders(500, -1);
                    case NOT_FOUND -> exchange.sendResponseHeaders(404, -1);
                    case OK -> {
                        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, bytes.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(bytes);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public FakeUpstream mode(Mode m) {
        this.mode = m;
        return this;
    }

    public FakeUpstream body(String json) {
        this.body = json;
        return this;
    }

    public int hits() {
        return hits.get();
    }

    public String lastPath() {
        return lastPath;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }

    public static final String WTTR_BERLIN = """
            {"current_condition":[{"temp_C":"21","FeelsLikeC":"20","humidity":"40","windspeedKmph":"11",
              "weatherDesc":[{"value":"Sunny"}]}],
             "nearest_area":[{"areaName":[{"value":"Berlin"}],"country":[{"value":"Germany"}]}]}""";
    public static final String GITHUB_REPO = """
            {"full_name":"octo/cat","description":"A test repo","stargazers_count":1234,"forks_count":56,
             "open_issues_count":7,"language":"Java","html_url":"https://github.com/octo/cat"}""";
    public static final String WIKI_SUMMARY = """
            {"title":"Chopsticks","extract":"Chopsticks are shaped pairs of equal-length sticks.",
             "content_urls":{"desktop":{"page":"https://en.wikipedia.org/wiki/Chopsticks"}}}""";
}
