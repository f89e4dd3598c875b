package dev.chopsticks.discordsim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.GatewayFrameListener;
import dev.chopsticks.discordsim.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A trivial shard for benchmarks: identifies, counts MESSAGE_CREATE dispatches and hands INTERACTION_CREATE to a callback. */
final class CountingGatewayClient implements AutoCloseable {
    private final AtomicLong dispatches = new AtomicLong();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final GatewayFrameListener listener = new GatewayFrameListener() {
        @Override
        protected void onPayload(WebSocket w, String json) {
            handle(w, json);
        }
    };
    private final WebSocket ws;
    private final String identify;
    private final Consumer<JsonNode> onInteraction;

    CountingGatewayClient(
            HttpClient http,
            String gatewayUrl,
            boolean zlib,
            String token,
            int shard,
            int count,
            Consumer<JsonNode> onInteraction) {
        this.onInteraction = onInteraction;
        this.identify = "{\"op\":2,\"d\":{\"token\":\"" + token
                + "\",\"intents\":513,\"properties\":{\"os\":\"l\",\"browser\":\"b\"," + "\"device\":\"d\"},\"shard\":["
                + shard + "," + count + "]}}";
        String url = gatewayUrl + "/?v=10&encoding=json" + (zlib ? "&compress=zlib-stream" : "");
        this.ws =
                http.newWebSocketBuilder().buildAsync(URI.create(url), listener).join();
    }

    private void handle(WebSocket w, String frame) {
        // Cheap classification: a real library parses everything, this one only what it acts on.
        if (frame.startsWith("{\"op\":0,")) {
            if (frame.contains("\"t\":\"MESSAGE_CREATE\"")) {
                dispatches.incrementAndGet();
            } else if (frame.contains("\"t\":\"READY\"")) {
                ready.complete(null);
            } else if (frame.contains("\"t\":\"INTERACTION_CREATE\"")) {
                try {
                    onInteraction.accept(Json.parse(frame).path("d"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        } else if (frame.contains("\"op\":10")) {
            w.sendText(identify, true); // the field may not be assigned yet when HELLO arrives
        }
    }

    CompletableFuture<Void> ready() {
        return ready;
    }

    long dispatches() {
        return dispatches.get();
    }

    /** Closes with 1000 so the simulator ends the session instead of keeping it resumable (and buffering for it). */
    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already gone: abort below
        }
        ws.abort();
        listener.end();
    }
}
