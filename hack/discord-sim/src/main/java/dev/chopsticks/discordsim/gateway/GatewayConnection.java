package dev.chopsticks.discordsim.gateway;

import dev.chopsticks.discordsim.metrics.SimMetrics;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One gateway WebSocket. Writes are serialised on this object so frames (and the shared compression stream)
 * leave in sequence order; reads arrive one at a time from the server library.
 */
public final class GatewayConnection {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final GatewaySocket socket;
    private final SimMetrics metrics;
    private final long openedAtMs;
    private TransportCompressor transport;
    private boolean payloadCompression;
    private boolean closed;
    private GatewaySession session;
    private volatile long lastHeartbeatMs;
    private long sendWindowStartMs;
    private int sendsInWindow;

    GatewayConnection(GatewaySocket socket, SimMetrics metrics, TransportCompressor transport, long nowMs) {
        this.socket = socket;
        this.metrics = metrics;
        this.transport = transport;
        this.openedAtMs = nowMs;
        this.lastHeartbeatMs = nowMs;
        this.sendWindowStartMs = nowMs;
    }

    public long id() {
        return id;
    }

    /** Writes a frame; false when the connection is already closed. */
    public synchronized boolean send(String frame) {
        if (closed) {
            return false;
        }
        if (transport != null) {
            socket.sendBinary(ByteBuffer.wrap(transport.compress(frame)));
        } else if (payloadCompression) {
            socket.sendBinary(ByteBuffer.wrap(ZlibStreamCompressor.compressPayload(frame)));
        } else {
            socket.sendText(frame);
        }
        return true;
    }

    /** Closes with a gateway close code; returns false if it was already closed. */
    public boolean close(CloseCode code) {
        return close(code.code(), code.reason());
    }

    public synchronized boolean close(int code, String reason) {
        if (closed) {
            return false;
        }
        markClosed();
        metrics.closeSent(code);
        socket.close(code, reason);
        return true;
    }

    /** Drops the TCP connection without a close frame. */
    public synchronized boolean drop() {
        if (closed) {
            return false;
        }
        markClosed();
        socket.disconnect();
        return true;
    }

    /** The peer (or the network) closed the socket. Returns true if we had not closed it ourselves. */
    synchronized boolean closedByPeer() {
        if (closed) {
            return false;
        }
        markClosed();
        return true;
    }

    private void markClosed() {
        closed = true;
        if (transport != null) {
            transport.end();
            transport = null;
        }
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    synchronized void enablePayloadCompression() {
        payloadCompression = true;
    }

    public synchronized GatewaySession session() {
        return session;
    }

    synchronized void session(GatewaySession value) {
        session = value;
    }

    /** Counts one inbound payload; false once the client exceeded {@code limit} sends in the window. */
    synchronized boolean countSend(long nowMs, int limit, long windowMs) {
        if (nowMs - sendWindowStartMs >= windowMs) {
            sendWindowStartMs = nowMs;
            sendsInWindow = 0;
        }
        return ++sendsInWindow <= limit;
    }

    void heartbeat(long nowMs) {
        lastHeartbeatMs = nowMs;
    }

    long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    long openedAtMs() {
        return openedAtMs;
    }
}
