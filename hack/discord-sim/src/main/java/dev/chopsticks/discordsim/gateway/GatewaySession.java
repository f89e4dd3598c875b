package dev.chopsticks.discordsim.gateway;

import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.ShardRouting;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HexFormat;

/**
 * A gateway session: the sequence counter and the recent frames a RESUME replays. It outlives its
 * connection until it is invalidated or the resume timeout passes, and keeps buffering events meanwhile.
 */
public final class GatewaySession {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Frame(long seq, String json) {}

    private final String id;
    private final int shardId;
    private final int shardCount;
    private final int intents;
    private final int bufferLimit;
    private final SimMetrics metrics;
    private final ArrayDeque<Frame> buffer = new ArrayDeque<>();
    private long seq;
    private GatewayConnection connection;
    private boolean invalidated;
    private long detachedAtMs = -1;

    GatewaySession(int shardId, int shardCount, int intents, int bufferLimit, SimMetrics metrics) {
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        this.id = HexFormat.of().formatHex(raw);
        this.shardId = shardId;
        this.shardCount = shardCount;
        this.intents = intents;
        this.bufferLimit = bufferLimit;
        this.metrics = metrics;
    }

    public String id() {
        return id;
    }

    public int shardId() {
        return shardId;
    }

    public int shardCount() {
        return shardCount;
    }

    public String shardKey() {
        return shardId + "/" + shardCount;
    }

    boolean holdsGuild(long guildId) {
        return ShardRouting.shardFor(guildId, shardCount) == shardId;
    }

    boolean wants(int requiredIntent) {
        return requiredIntent == 0 || (intents & requiredIntent) != 0;
    }

    /** Assigns the next sequence number, buffers the frame for RESUME and writes it if connected. */
    synchronized boolean dispatch(String event, String dataJson) {
        if (invalidated) {
            return false;
        }
        long s = ++seq;
        String frame = "{\"op\":0,\"s\":" + s + ",\"t\":\"" + event + "\",\"d\":" + dataJson + "}";
        buffer.addLast(new Frame(s, frame));
        if (buffer.size() > bufferLimit) {
            buffer.removeFirst();
        }
        if (connection != null && connection.send(frame)) {
            metrics.eventsSent.increment();
        }
        return true;
    }

    synchronized void attach(GatewayConnection conn) {
        connection = conn;
        detachedAtMs = -1;
        conn.session(this);
    }

    /** Forgets {@code conn} if it is still the current connection (a newer RESUME may have replaced it). */
    synchronized void detach(GatewayConnection conn, long nowMs) {
        if (connection == conn) {
            connection = null;
            detachedAtMs = nowMs;
        }
    }

    enum ResumeOutcome {
        RESUMED,
        INVALID_SEQ,
        GONE
    }

    /**
     * Moves the session onto {@code conn} and replays every frame after {@code lastSeq}. The previous
     * connection, if any, is returned through {@code replaced} so the caller can drop it.
     */
    synchronized ResumeOutcome resume(GatewayConnection conn, long lastSeq, GatewayConnection[] replaced) {
        if (invalidated) {
            return ResumeOutcome.GONE;
        }
        if (lastSeq > seq) {
            return ResumeOutcome.INVALID_SEQ;
        }
        long oldest = buffer.isEmpty() ? seq + 1 : buffer.peekFirst().seq();
        if (lastSeq + 1 < oldest) {
            return ResumeOutcome.GONE; // the frames the client missed are no longer buffered
        }
        replaced[0] = connection != conn ? connection : null;
        attach(conn);
        for (Frame f : buffer) {
            if (f.seq() > lastSeq && conn.send(f.json())) {
                metrics.eventsSent.increment();
            }
        }
        return ResumeOutcome.RESUMED;
    }

    /** Ends the session for good; returns the connection it was on, if any. */
    synchronized GatewayConnection invalidate() {
        invalidated = true;
        buffer.clear();
        GatewayConnection c = connection;
        connection = null;
        return c;
    }

    public synchronized boolean invalidated() {
        return invalidated;
    }

    public synchronized GatewayConnection connection() {
        return connection;
    }

    public synchronized long seq() {
        return seq;
    }

    synchronized boolean expired(long nowMs, long resumeTimeoutMs) {
        return invalidated || (connection == null && detachedAtMs >= 0 && nowMs - detachedAtMs > resumeTimeoutMs);
    }
}
