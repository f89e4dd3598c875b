package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StartPacerTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aBurstIsSpreadAndAQuietStartGoesAtOnce() {
        StartPacer pacer = new StartPacer(Duration.ofMillis(1500), Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(pacer.enabled()).isTrue();
        assertThat(pacer.reserve()).isEqualTo(T0);
        assertThat(pacer.reserve()).isEqualTo(T0.plusMillis(1500));
        assertThat(pacer.reserve()).isEqualTo(T0.plusMillis(3000));

        StartPacer later = new StartPacer(Duration.ofMillis(1500), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        assertThat(later.reserve()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void zeroSpacingIsOff() {
        assertThat(new StartPacer(Duration.ZERO, Clock.systemUTC()).enabled()).isFalse();
    }
}
