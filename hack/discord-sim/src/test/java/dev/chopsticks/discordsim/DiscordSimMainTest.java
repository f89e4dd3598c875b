package dev.chopsticks.discordsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiscordSimMainTest {
    @Test
    void parsesTheDocumentedCommandLine() {
        SimConfig c = DiscordSimMain.parse(new String[] {
            "--guilds",
            "20000",
            "--port",
            "8090",
            "--max-concurrency",
            "16",
            "--token",
            "t0k",
            "--identify-window-ms",
            "250",
            "--session-start-total",
            "5",
            "--public-url",
            "http://discord-sim:8090",
            "--heartbeat-interval-ms",
            "1000",
            "--max-guilds-per-shard",
            "100",
            "--global-rate-limit",
            "7",
            "--members-per-guild",
            "2",
        });
        assertThat(c.world().guilds()).isEqualTo(20_000);
        assertThat(c.port()).isEqualTo(8090);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.maxConcurrency()).isEqualTo(16);
        assertThat(c.token()).isEqualTo("t0k");
        assertThat(c.identifyWindow()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.sessionStartTotal()).isEqualTo(5);
        assertThat(c.publicUrl()).isEqualTo("http://discord-sim:8090");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxGuildsPerShard()).isEqualTo(100);
        assertThat(c.globalRateLimit()).isEqualTo(7);
        assertThat(c.world().membersPerGuild()).isEqualTo(2);
    }

    @Test
    void rejectsUnknownOrIncompleteOptions() {
        assertThatThrownBy(() -> DiscordSimMain.parse(new String[] {"--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> DiscordSimMain.parse(new String[] {"--port"})).hasMessageContaining("Missing value");
    }

    @Test
    void publicUrlIsWhatClientsAreToldToUse() {
        try (DiscordSimulator sim = SimConfig.builder()
                .guilds(1)
                .publicUrl("http://discord-sim.test:8090/")
                .start()) {
            assertThat(sim.gatewayUrl()).isEqualTo("ws://discord-sim.test:8090");
            assertThat(sim.restBaseUrl()).isEqualTo("http://discord-sim.test:8090/api/v10/");
        }
    }
}
