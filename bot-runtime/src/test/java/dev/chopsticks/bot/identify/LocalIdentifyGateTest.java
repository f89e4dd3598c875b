package dev.chopsticks.bot.identify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalIdentifyGateTest {

    @Test
    void aBucketIsHeldForTheWindowAfterItsIdentifyAndOtherBucketsAreFree() throws Exception {
        LocalIdentifyGate gate = new LocalIdentifyGate(Duration.ofSeconds(10));
        IdentifyGate.Lease first = gate.acquire(0, 0);
        first.extend(Duration.ofMillis(200));
        long start = System.nanoTime();
        gate.acquire(1, 1).release(); // another bucket: no wait
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150));
        gate.acquire(0, 4).release();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aReleasedTurnIsFreeAtOnceAndAStaleLeaseCannotTouchTheNextOne() throws Exception {
        LocalIdentifyGate gate = new LocalIdentifyGate(Duration.ofSeconds(10));
        IdentifyGate.Lease first = gate.acquire(0, 0);
        first.release();
        long start = System.nanoTime();
        IdentifyGate.Lease second = gate.acquire(0, 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150));
        second.extend(Duration.ofMillis(200));
        first.release(); // not the owner any more: no effect
        start = System.nanoTime();
        gate.acquire(0, 2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
}
