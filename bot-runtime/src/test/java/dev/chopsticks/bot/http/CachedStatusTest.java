package dev.chopsticks.bot.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.data.PoolStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedStatusTest {
    @Test
    void rebuildsAtMostOncePerInterval() {
        AtomicLong now = new AtomicLong();
        AtomicInteger builds = new AtomicInteger();
        StatusSources sources = new StatusSources(
                List::of,
                Map::of,
                () -> {
                    builds.incrementAndGet();
                    return new PoolStats(0, 0, 0, 0, 1);
                },
                Map::of,
                Map::of);
        CachedStatus status = new CachedStatus(sources, Duration.ofMillis(250), now::get);
        assertThat(builds).hasValue(1);
        for (int i = 0; i < 100; i++) {
            status.json();
        }
        assertThat(builds).hasValue(1);
        now.addAndGet(Duration.ofMillis(250).toNanos());
        status.json();
        status.json();
        assertThat(builds).hasValue(2);
    }
}
