package dev.chopsticks.bot.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket connection to Discord's gateway (JSON, no transport compression), on the JDK's client. Sends are
 * chained, since the JDK allows one outstanding send per socket; frames arrive whole on {@link Listener}.
 */
final class Upstream {
    interface Listener {
        void onFrame(Upstream from, String json);

        /** The connection ended: {@code code} is the close code, or -1 when it broke without one. */
        void onClosed(Upstream from, int code, String reason);
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private Upstream(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects to {@code url} with {@code v=10&encoding=json} added. */
    static CompletableFuture<Upstream> connect(String url, Listener listener) {
        Receiver receiver = new Receiver(listener);
        String full = url + (url.contains("?") ? "&" : "?") + "v=10&encoding=json";
        return HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(full), receiver)
                .thenApply(ws -> receiver.upstream);
    }

    synchronized void send(String json) {
        sending = sending.handle((r, e) -> null).thenCompose(x -> socket.sendText(json, true));
    }

    /** Drops the connection without a close frame: Discord keeps the session resumable (no 1000/1001). */
    void abort() {
        socket.abort();
    }

    private static final class Receiver implements WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder text = new StringBuilder();
        private volatile Upstream upstream;

        Receiver(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket ws) {
            upstream = new Upstream(ws);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                listener.onFrame(upstream, frame);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1); // only asked for JSON text frames
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            listener.onClosed(upstream, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            listener.onClosed(upstream, -1, error.getClass().getSimpleName());
        }
    }
}
