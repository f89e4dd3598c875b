package dev.chopsticks.bot.identify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentifyBudgetTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger remaining = new AtomicInteger();

    private IdentifyBudget budget(int reserve, int shardCap) {
        IdentifyBudget.LimitSource discord = () -> {
            fetches.incrementAndGet();
            return new SessionStartLimit(1_000, remaining.get(), Duration.ofHours(3), 1);
        };
        return new IdentifyBudget(
                discord,
                reserve,
                Duration.ofSeconds(30),
                new LocalShardIdentifyCounter(shardCap, Duration.ofHours(1)),
                new IdentifyMetrics(meters));
    }

    @Test
    void farAboveTheReserveItCountsLocallyWithoutAskingDiscordEachTime() {
        remaining.set(900);
        IdentifyBudget b = budget(50, 100);
        for (int shard = 0; shard < 10; shard++) {
            assertThat(b.check(shard).allowed()).isTrue();
        }
        assertThat(fetches).hasValue(1);
        assertThat(meters.get("chopsticks_identify_remaining").gauge().value()).isEqualTo(890);
    }

    @Test
    void atTheReserveItRefusesWithTheReasonAndRetryTime() {
        remaining.set(52);
        IdentifyBudget b = budget(50, 100);
        assertThat(b.check(0).allowed()).isTrue();
        remaining.set(51); // what Discord now says, after our identify
        assertThat(b.check(1).allowed()).isTrue();
        remaining.set(50);
        IdentifyDecision refused = b.check(2);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).isEqualTo(IdentifyDecision.BUDGET);
        assertThat(refused.message()).startsWith("identify refused: session-start budget remaining 50 <= reserve 50");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        // Near the reserve Discord's figure is re-read before every decision: other pods spend it too.
        assertThat(fetches.get()).isGreaterThanOrEqualTo(3);
        assertThat(meters.get("chopsticks_identify_refused")
                        .tag("reason", "budget")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aShardPastItsHourlyCapIsRefusedWhileOthersGoOn() {
        remaining.set(900);
        IdentifyBudget b = budget(50, 2);
        assertThat(b.check(7).allowed()).isTrue();
        assertThat(b.check(7).allowed()).isTrue();
        IdentifyDecision third = b.check(7);
        assertThat(third.allowed()).isFalse();
        assertThat(third.reason()).isEqualTo(IdentifyDecision.SHARD_CAP);
        assertThat(third.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(b.check(8).allowed()).isTrue();
    }

    @Test
    void whenDiscordCannotBeAskedTheLastFigureIsUsed() {
        remaining.set(900);
        IdentifyBudget b = new IdentifyBudget(
                () -> {
                    throw new IOException("down");
                },
                50,
                Duration.ofSeconds(30),
                new LocalShardIdentifyCounter(10, Duration.ofHours(1)),
                new IdentifyMetrics(meters));
        // Never known: identifying is allowed (JDA itself needs GET /gateway/bot to start at all).
        assertThat(b.check(0).allowed()).isTrue();
        b.update(new SessionStartLimit(1_000, 10, Duration.ofHours(1), 1));
        assertThat(b.check(1).allowed()).isFalse();
    }
}
