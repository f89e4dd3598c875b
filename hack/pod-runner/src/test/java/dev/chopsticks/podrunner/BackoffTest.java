package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaxAndResetsAfterALongRun() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        Duration shortRun = Duration.ofMillis(100);

        assertThat(backoff.next(shortRun)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next(shortRun)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next(shortRun)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.next(shortRun)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.next(shortRun)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.next(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
    }
}
