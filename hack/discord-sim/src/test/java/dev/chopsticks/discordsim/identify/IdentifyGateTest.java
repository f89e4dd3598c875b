package dev.chopsticks.discordsim.identify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdentifyGateTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void oneIdentifyPerBucketPerWindow() {
        IdentifyGate gate = new IdentifyGate(2, 5_000, now::get);
        assertThat(gate.attempt(0, 4)).isEmpty();
        assertThat(gate.attempt(1, 4)).isEmpty(); // bucket 1: independent of bucket 0
        now.addAndGet(4_999);
        IdentifyViolation v = gate.attempt(2, 4).orElseThrow(); // 2 % 2 == bucket 0, still inside the window
        assertThat(v.bucket()).isZero();
        assertThat(v.sinceLastMs()).isEqualTo(4_999);
        now.addAndGet(1);
        assertThat(gate.attempt(2, 4)).isEmpty();

        IdentifyStats stats = gate.stats();
        assertThat(stats.acceptedPerBucket()).containsEntry(0, 2L).containsEntry(1, 1L);
        assertThat(stats.violations()).containsExactly(v);
        assertThat(stats.maxAttemptsPerWindow()).containsEntry(0, 2).containsEntry(1, 1);
    }

    @Test
    void rejectedIdentifiesDoNotRestartTheWindow() {
        IdentifyGate gate = new IdentifyGate(1, 5_000, now::get);
        assertThat(gate.attempt(0, 1)).isEmpty();
        now.addAndGet(3_000);
        assertThat(gate.attempt(0, 1)).isPresent();
        now.addAndGet(2_000); // 5 s after the accepted one, 2 s after the rejected one
        assertThat(gate.attempt(0, 1)).isEmpty();
    }

    @Test
    void reconfiguringStartsFreshBuckets() {
        IdentifyGate gate = new IdentifyGate(1, 5_000, now::get);
        assertThat(gate.attempt(0, 2)).isEmpty();
        assertThat(gate.attempt(1, 2)).isPresent();
        gate.configure(2, 5_000);
        assertThat(gate.attempt(1, 2)).isEmpty();
        assertThat(gate.stats().maxConcurrency()).isEqualTo(2);
    }
}
