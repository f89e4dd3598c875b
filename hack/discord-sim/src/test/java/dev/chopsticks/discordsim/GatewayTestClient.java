package dev.chopsticks.discordsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw gateway client over WebSocket, speaking JSON (optionally zlib-stream). */
public final class GatewayTestClient implements AutoCloseable {
    public record Close(int code, String reason) {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<byte[]> rawBinary = new ArrayList<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final CompletableFuture<Throwable> error = new CompletableFuture<>();
    private final Listener listener;
    private final WebSocket ws;
    private volatile long lastSeq;

    private GatewayTestClient(String url) {
        this.listener = new Listener(url.contains("compress=zstd-stream"));
        this.ws =
                HTTP.newWebSocketBuilder().buildAsync(URI.create(url), listener).join();
    }

    /** Connects to {@code gatewayUrl} with {@code ?v=10&encoding=json} plus extra query text. */
    public static GatewayTestClient connect(String gatewayUrl, String extraQuery) {
        return new GatewayTestClient(gatewayUrl + "/?v=10&encoding=json" + extraQuery);
    }

    public static GatewayTestClient connect(String gatewayUrl) {
        return connect(gatewayUrl, "");
    }

    public static GatewayTestClient connectRaw(String url) {
        return new GatewayTestClient(url);
    }

    private final class Listener extends GatewayFrameListener {
        Listener(boolean zstd) {
            super(zstd);
        }

        @Override
        protected void onPayload(WebSocket webSocket, String json) {
            deliver(json);
        }

        @Override
        protected void onRawBinary(byte[] message) {
            synchronized (rawBinary) {
                rawBinary.add(message);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable e) {
            error.complete(e);
        }
    }

    private void deliver(String json) {
        try {
            JsonNode node = Json.parse(json);
            if (node.path("s").isIntegralNumber()) {
                lastSeq = node.get("s").asLong();
            }
            received.add(node);
        } catch (Exception e) {
            throw new IllegalStateException("Server sent invalid JSON: " + json, e);
        }
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void send(JsonNode payload) {
        send(Json.write(payload));
    }

    public void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends the payload as a binary frame holding its UTF-8 JSON, as some client libraries do. */
    public void sendAsBinary(String json) {
        sendBinary(json.getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode next(Duration timeout) {
        try {
            JsonNode n = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (n == null) {
                throw new AssertionError("No gateway payload within " + timeout);
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips payloads until one matches. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No matching gateway payload within " + timeout);
            }
            JsonNode n = next(Duration.ofNanos(left));
            if (match.test(n)) {
                return n;
            }
        }
    }

    public JsonNode awaitOp(int op) {
        return await(n -> n.path("op").asInt(-1) == op, Duration.ofSeconds(10));
    }

    public JsonNode awaitDispatch(String type) {
        return await(n -> n.path("op").asInt(-1) == 0 && type.equals(n.path("t").asText()), Duration.ofSeconds(10));
    }

    /** Payloads received so far and not yet consumed. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        received.drainTo(out);
        return out;
    }

    public void identify(String token, int shardId, int shardCount, int intents) {
        ObjectNode d = Json.object().put("token", token).put("intents", intents);
        d.putObject("properties").put("os", "linux").put("browser", "test").put("device", "test");
        d.putArray("shard").add(shardId).add(shardCount);
        send(Json.object().put("op", 2).set("d", d));
    }

    public void resume(String token, String sessionId, long seq) {
        ObjectNode d =
                Json.object().put("token", token).put("session_id", sessionId).put("seq", seq);
        send(Json.object().put("op", 6).set("d", d));
    }

    public void heartbeat() {
        send("{\"op\":1,\"d\":" + (lastSeq == 0 ? "null" : Long.toString(lastSeq)) + "}");
    }

    public long lastSeq() {
        return lastSeq;
    }

    public List<byte[]> rawBinary() {
        synchronized (rawBinary) {
            return List.copyOf(rawBinary);
        }
    }

    /** The close frame the server sent. */
    public Close awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public CompletableFuture<Close> closeFuture() {
        return closed;
    }

    public CompletableFuture<Throwable> errorFuture() {
        return error;
    }

    /** Is the connection finished, by close frame or by error? */
    public boolean gone() {
        return closed.isDone() || error.isDone();
    }

    public void closeNormally() {
        ws.sendClose(1000, "bye").join();
    }

    public void closeWith(int code) {
        ws.sendClose(code, "test").join();
    }

    @Override
    public void close() {
        ws.abort();
        listener.end();
    }
}
