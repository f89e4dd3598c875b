package dev.chopsticks.discordsim.gateway;

import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.ShardRouting;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/**
 * A gateway session: the sequence counter and the recent frames a RESUME replays. It outlives its
 * connection until it is invalidated or the resume timeout passes, and keeps buffering events meanwhile.
 * Discord keeps a detached session's backlog only so far: a detached session whose buffer overflows can no longer
 * replay what it missed, so it is invalidated (a RESUME then gets op 9 {@code d: false}).
 */
public final class GatewaySession {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A dispatch and when it was created, to measure how long it waited for a socket. */
    private record Frame(long seq, String json, long createdAtMs) {}

    private final String id;
    private final int shardId;
    private final int shardCount;
    private final int intents;
    private final int bufferLimit;
    private final SimMetrics metrics;
    private final LongSupplier clockMs;
    private final ArrayDeque<Frame> buffer = new ArrayDeque<>();
    private long seq;
    private GatewayConnection connection;
    private boolean invalidated;
    private long detachedAtMs = -1;
    /** The last seq written to a socket before the session lost it; later frames exist only in the buffer. */
    private long seqAtDetach = Long.MAX_VALUE;

    GatewaySession(
            int shardId, int shardCount, int intents, int bufferLimit, SimMetrics metrics, LongSupplier clockMs) {
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        this.id = HexFormat.of().formatHex(raw);
        this.shardId = shardId;
        this.shardCount = shardCount;
        this.intents = intents;
        this.bufferLimit = bufferLimit;
        this.metrics = metrics;
        this.clockMs = clockMs;
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

    /**
     * Assigns the next sequence number, buffers the frame for RESUME and writes it if connected. Returns false when
     * the session is gone; true when the frame was written or is kept for a RESUME to replay.
     */
    synchronized boolean dispatch(String event, String dataJson) {
        if (invalidated) {
            return false;
        }
        long s = ++seq;
        String json = "{\"op\":0,\"s\":" + s + ",\"t\":\"" + event + "\",\"d\":" + dataJson + "}";
        Frame frame = new Frame(s, json, clockMs.getAsLong());
        buffer.addLast(frame);
        if (buffer.size() > bufferLimit && buffer.removeFirst().seq() > seqAtDetach && connection == null) {
            invalidate(); // the dropped frame never reached a socket: no RESUME could replay it
            return false;
        }
        if (connection != null) {
            write(connection, frame);
        }
        return true;
    }

    private boolean write(GatewayConnection conn, Frame frame) {
        if (!conn.send(frame.json())) {
            return false;
        }
        metrics.eventsSent.increment();
        metrics.dispatchDelivered(clockMs.getAsLong() - frame.createdAtMs());
        return true;
    }

    synchronized void attach(GatewayConnection conn) {
        connection = conn;
        detachedAtMs = -1;
        seqAtDetach = Long.MAX_VALUE;
        conn.session(this);
    }

    /** Forgets {@code conn} if it is still the current connection (a newer RESUME may have replaced it). */
    synchronized void detach(GatewayConnection conn, long nowMs) {
        if (connection == conn) {
            connection = null;
            detachedAtMs = nowMs;
            seqAtDetach = seq;
        }
    }

    enum ResumeOutcome {
        RESUMED,
        INVALID_SEQ,
        GONE
    }

    /**
     * Moves the session onto {@code conn} and replays every frame after {@code lastSeq}. The previous
     * connection, if any, is returned through {@code replaced} so the caller can drop it. A session detached for
     * longer than {@code resumeTimeoutMs} is gone even if the periodic purge has not removed it yet.
     */
    synchronized ResumeOutcome resume(
            GatewayConnection conn, long lastSeq, long resumeTimeoutMs, GatewayConnection[] replaced) {
        if (expired(clockMs.getAsLong(), resumeTimeoutMs)) {
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
            if (f.seq() > lastSeq && write(conn, f)) {
                metrics.dispatchesReplayed.increment();
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

    /** Not invalidated and waiting, without a connection, for a RESUME. */
    synchronized boolean awaitingResume() {
        return !invalidated && connection == null;
    }

    synchronized boolean expired(long nowMs, long resumeTimeoutMs) {
        return invalidated || (connection == null && detachedAtMs >= 0 && nowMs - detachedAtMs > resumeTimeoutMs);
    }
}
