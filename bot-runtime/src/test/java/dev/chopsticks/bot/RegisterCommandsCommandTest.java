package dev.chopsticks.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.junit.DiscordSimulatorTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code register-commands} (the operator's Job): one bulk overwrite of the global commands over REST. */
@DiscordSimulatorTest(guilds = 1)
class RegisterCommandsCommandTest {

    @Test
    void registersEveryCommandWithoutAGatewaySession(DiscordSimulator sim) {
        int exit = Main.execute(
                new EnvReader(Map.of("DISCORD_TOKEN", sim.token(), "DISCORD_API_BASE_URL", sim.restBaseUrl())),
                new String[] {"register-commands"});
        assertThat(exit).isZero();
        assertThat(sim.commands(null))
                .extracting(c -> c.path("name").asText())
                .contains("ping", "help", "config", "balance", "daily", "pay", "warn", "cases", "welcome", "stats");
        assertThat(sim.stats().identifies()).isZero();
    }

    @Test
    void missingTokenIsAOneLineConfigurationError() {
        assertThat(Main.execute(new EnvReader(Map.of()), new String[] {"register-commands"}))
                .isEqualTo(2);
    }
}
