package dev.chopsticks.discordsim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** A trivial shard for benchmarks: identifies, counts MESSAGE_CREATE dispatches and hands INTERACTION_CREATE to a callback. */
final class CountingGatewayClient implements AutoCloseable {
    private final AtomicLong dispatches = new AtomicLong();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Inflater inflater = new Inflater();
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
        this.ws = http.newWebSocketBuilder()
                .buildAsync(URI.create(url), new Listener())
                .join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                handle(w, text.toString());
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                handle(w, inflate(binary.toByteArray()));
                binary.reset();
            }
            w.request(1);
            return null;
        }
    }

    private String inflate(byte[] message) {
        try {
            inflater.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.length * 4);
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
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
        inflater.end();
    }
}
