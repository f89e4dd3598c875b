package dev.chopsticks.discordsim.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionStartBudgetTest {
    private static final long DAY = 24L * 60 * 60 * 1000;
    private final AtomicLong now = new AtomicLong(0);

    @Test
    void spendsUntilExhaustedThenRefillsADayAfterTheFirstStart() {
        SessionStartBudget budget = new SessionStartBudget(2, now::get);
        assertThat(budget.tryConsume()).isTrue();
        now.addAndGet(1_000);
        assertThat(budget.tryConsume()).isTrue();
        assertThat(budget.tryConsume()).isFalse();
        assertThat(budget.exhaustions()).isEqualTo(1);
        SessionStartLimit limit = budget.snapshot(16);
        assertThat(limit.remaining()).isZero();
        assertThat(limit.resetAfterMs()).isEqualTo(DAY - 1_000);
        assertThat(limit.maxConcurrency()).isEqualTo(16);
        now.set(DAY);
        assertThat(budget.exhausted()).isFalse();
        assertThat(budget.snapshot(1).remaining()).isEqualTo(2);
    }

    @Test
    void setRejectsImpossibleValues() {
        SessionStartBudget budget = new SessionStartBudget(10, now::get);
        assertThatThrownBy(() -> budget.set(5, 6)).isInstanceOf(IllegalArgumentException.class);
        budget.set(5, 0);
        assertThat(budget.exhausted()).isTrue();
    }
}
