package dev.chopsticks.discordsim.gateway;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** {@link GatewaySocket} over a Jetty 12 WebSocket session (asynchronous sends, queued in call order). */
final class JettySocket implements GatewaySocket {
    private final Session session;

    JettySocket(Session session) {
        this.session = session;
    }

    @Override
    public void sendText(String text) {
        session.sendText(text, Callback.NOOP);
    }

    @Override
    public void sendBinary(ByteBuffer data) {
        session.sendBinary(data, Callback.NOOP);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void disconnect() {
        session.disconnect();
    }
}
