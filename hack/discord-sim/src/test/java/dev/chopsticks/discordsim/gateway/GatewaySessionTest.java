package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.discordsim.metrics.SimMetrics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The session's replay buffer, its bound and the delivery counters, on a fake socket and a fake clock. */
class GatewaySessionTest {
    private static final long TIMEOUT_MS = 60_000;

    private final AtomicLong now = new AtomicLong(1_000);
    private final SimMetrics metrics = new SimMetrics();

    /** Records the seq of every dispatch written to it. */
    private static final class FakeSocket implements GatewaySocket {
        final List<String> frames = new ArrayList<>();

        @Override
        public void sendText(String text) {
            frames.add(text);
        }

        @Override
        public void sendBinary(ByteBuffer data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close(int code, String reason) {}

        @Override
        public void disconnect() {}
    }

    private GatewaySession session(int buffer) {
        return new GatewaySession(0, 1, Intents.GUILDS, buffer, metrics, now::get);
    }

    private GatewayConnection connection(FakeSocket socket) {
        return new GatewayConnection(socket, metrics, null, now.get());
    }

    @Test
    void eventsDispatchedWithoutAConnectionAreReplayedFromTheGivenSeqWithTheirWait() {
        GatewaySession s = session(100);
        GatewayConnection first = connection(new FakeSocket());
        s.attach(first);
        s.dispatch("A", "{}");
        s.dispatch("B", "{}");
        assertThat(metrics.maxDispatchWaitMs()).isZero(); // written at once
        s.detach(first, now.get());
        assertThat(s.dispatch("C", "{}")).as("kept for replay").isTrue();
        now.addAndGet(7_000);
        s.dispatch("D", "{}");
        now.addAndGet(3_000);

        FakeSocket socket = new FakeSocket();
        GatewayConnection[] replaced = new GatewayConnection[1];
        // The client saw only A (seq 1): B was written but lost in flight, C and D came while detached.
        assertThat(s.resume(connection(socket), 1, TIMEOUT_MS, replaced))
                .isEqualTo(GatewaySession.ResumeOutcome.RESUMED);

        assertThat(socket.frames).hasSize(3);
        assertThat(socket.frames.get(0)).contains("\"s\":2,\"t\":\"B\"");
        assertThat(socket.frames.get(2)).contains("\"s\":4,\"t\":\"D\"");
        assertThat(metrics.dispatchesReplayed.sum()).isEqualTo(3);
        assertThat(metrics.maxDispatchWaitMs()).isEqualTo(10_000); // B and C: created 10 s before the resume
        assertThat(metrics.eventsSent.sum()).isEqualTo(5);
    }

    @Test
    void aDetachedSessionWhoseBufferOverflowsIsInvalidated() {
        GatewaySession s = session(3);
        GatewayConnection c = connection(new FakeSocket());
        s.attach(c);
        for (int i = 0; i < 5; i++) {
            s.dispatch("LIVE", "{}"); // overflowing while connected only trims what the socket already has
        }
        assertThat(s.invalidated()).isFalse();
        s.detach(c, now.get());
        s.dispatch("E1", "{}");
        s.dispatch("E2", "{}");
        s.dispatch("E3", "{}"); // E1..E3 push out seq 3..5, frames the socket got before the drop
        assertThat(s.invalidated()).isFalse();
        assertThat(s.dispatch("E4", "{}"))
                .as("would push out E1, never delivered")
                .isFalse();
        assertThat(s.invalidated()).isTrue();
        assertThat(s.resume(connection(new FakeSocket()), 5, TIMEOUT_MS, new GatewayConnection[1]))
                .isEqualTo(GatewaySession.ResumeOutcome.GONE);
    }

    @Test
    void aResumeAfterTheTimeoutIsRefusedEvenBeforeThePurge() {
        GatewaySession s = session(100);
        GatewayConnection c = connection(new FakeSocket());
        s.attach(c);
        s.detach(c, now.get());
        assertThat(s.awaitingResume()).isTrue();
        now.addAndGet(TIMEOUT_MS + 1);
        assertThat(s.resume(connection(new FakeSocket()), 0, TIMEOUT_MS, new GatewayConnection[1]))
                .isEqualTo(GatewaySession.ResumeOutcome.GONE);
    }

    @Test
    void aResumeWithinTheTimeoutSucceedsAndASeqAheadIsRefused() {
        GatewaySession s = session(100);
        GatewayConnection c = connection(new FakeSocket());
        s.attach(c);
        s.dispatch("A", "{}");
        s.detach(c, now.get());
        now.addAndGet(TIMEOUT_MS);
        assertThat(s.resume(connection(new FakeSocket()), 2, TIMEOUT_MS, new GatewayConnection[1]))
                .isEqualTo(GatewaySession.ResumeOutcome.INVALID_SEQ);
        assertThat(s.resume(connection(new FakeSocket()), 1, TIMEOUT_MS, new GatewayConnection[1]))
                .isEqualTo(GatewaySession.ResumeOutcome.RESUMED);
        assertThat(s.awaitingResume()).isFalse();
    }

    @Test
    void resetClearsTheReplayCounters() {
        metrics.dispatchesReplayed.increment();
        metrics.dispatchDelivered(5_000);
        metrics.reset();
        assertThat(metrics.dispatchesReplayed.sum()).isZero();
        assertThat(metrics.maxDispatchWaitMs()).isZero();
    }
}
