package dev.chopsticks.bot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardStatusTest {
    @Test
    void postgresDownIsUnavailableAndRedisDownOrStaleDataIsDegraded() {
        assertThat(DashboardStatus.state(true, true, false)).isEqualTo("ok");
        assertThat(DashboardStatus.state(true, false, false)).isEqualTo("degraded");
        assertThat(DashboardStatus.state(true, true, true)).isEqualTo("degraded");
        assertThat(DashboardStatus.state(false, true, false)).isEqualTo("unavailable");
    }
}
