package dev.chopsticks.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ApiContactTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));

    @Test
    void theObservationStartsAtTheStartAndOnlyMovesAfterALostContactOrANewLeadership() {
        ApiContact contact = new ApiContact(clock);
        Instant start = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        assertThat(contact.observingSince()).isEqualTo(start);

        contact.lost();
        clock.advance(Duration.ofSeconds(40)); // the outage
        Instant back = clock.instant();
        assertThat(contact.observingSince()).isEqualTo(back);
        clock.advance(Duration.ofSeconds(10));
        assertThat(contact.observingSince()).as("one gap moves it once").isEqualTo(back);

        clock.advance(Duration.ofSeconds(10));
        contact.restarted();
        assertThat(contact.observingSince()).isEqualTo(clock.instant());
    }

    @Test
    void onlyErrorsOfReachOrAvailabilityCountAsALostContact() {
        assertThat(ApiContact.unreachable(new KubernetesClientException(
                        "Operation: [get]", new CompletionException(new ConnectException("Connection refused")))))
                .isTrue();
        assertThat(ApiContact.unreachable(new UncheckedIOException(new IOException("reset"))))
                .isTrue();
        assertThat(ApiContact.unreachable(new KubernetesClientException("etcdserver: leader changed", 503, null)))
                .isTrue();
        assertThat(ApiContact.unreachable(new KubernetesClientException("forbidden", 403, null)))
                .isFalse();
        assertThat(ApiContact.unreachable(new KubernetesClientException("invalid", 422, null)))
                .isFalse();
        assertThat(ApiContact.unreachable(new IllegalStateException("a bug"))).isFalse();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
