package dev.chopsticks.discordsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chopsticks.discordsim.gateway.Intents;
import dev.chopsticks.discordsim.gateway.Opcode;
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
            "--resume-timeout-ms",
            "90000",
            "--resume-buffer",
            "50",
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
        assertThat(c.resumeTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.resumeBuffer()).isEqualTo(50);
        assertThat(DiscordSimMain.parse(new String[0]).resumeTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    /** Issue 22: without this flag 4014 could only be reached from a JUnit setup. */
    @Test
    void privilegedIntentsFlagSetsWhatTheBotIsApprovedFor() {
        assertThat(DiscordSimMain.parse(new String[0]).allowedPrivilegedIntents())
                .isEqualTo(Intents.PRIVILEGED);
        assertThat(DiscordSimMain.parse(new String[] {"--privileged-intents", "none"})
                        .allowedPrivilegedIntents())
                .isZero();
        assertThat(DiscordSimMain.parse(new String[] {"--privileged-intents", "members"})
                        .allowedPrivilegedIntents())
                .isEqualTo(Intents.GUILD_MEMBERS);
        assertThat(DiscordSimMain.parse(new String[] {"--privileged-intents", "presence,message_content"})
                        .allowedPrivilegedIntents())
                .isEqualTo(Intents.GUILD_PRESENCES | Intents.MESSAGE_CONTENT);
        assertThat(DiscordSimMain.parse(new String[] {"--privileged-intents", "all"})
                        .allowedPrivilegedIntents())
                .isEqualTo(Intents.PRIVILEGED);
        assertThatThrownBy(() -> DiscordSimMain.parse(new String[] {"--privileged-intents", "guilds"}))
                .hasMessageContaining("guilds");
    }

    @Test
    void withNoPrivilegedIntentsAMembersIdentifyIsDisallowed4014() {
        SimConfig c = DiscordSimMain.parse(new String[] {"--privileged-intents", "none"}).toBuilder()
                .host("127.0.0.1")
                .port(0)
                .guilds(1)
                .build();
        try (DiscordSimulator sim = DiscordSimulator.start(c);
                GatewayTestClient ws = GatewayTestClient.connect(sim.gatewayUrl())) {
            ws.awaitOp(Opcode.HELLO);
            ws.identify(sim.token(), 0, 1, Intents.GUILDS | Intents.GUILD_MEMBERS);
            assertThat(ws.awaitClose().code()).isEqualTo(4014);
        }
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
