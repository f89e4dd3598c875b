package dev.chopsticks.bot.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.junit.jupiter.api.Test;

class ModeratorCommandTest {
    private static final ModeratorCommand KICK = new ModeratorCommand() {
        @Override
        public String name() {
            return "kick";
        }

        @Override
        public String description() {
            return "stub";
        }

        @Override
        public SlashCommandData definition() {
            return moderatorSlash();
        }

        @Override
        protected CommandReply moderate(CommandRequest request) {
            return CommandReply.text("done");
        }
    };

    private static CommandRequest request(long guildId, boolean moderate) {
        return new CommandRequest(
                "kick",
                null,
                new CommandOptions(Map.of()),
                guildId,
                "Noodle Bar",
                2,
                new UserRef(10, "alice"),
                false,
                moderate,
                null);
    }

    @Test
    void runsOnlyForModeratorsInAServer() {
        assertThat(KICK.execute(request(0, true)).plainText()).contains("only works in a server");
        assertThat(KICK.execute(request(1, false)).plainText()).contains("Moderate Members");
        assertThat(KICK.execute(request(1, true)).plainText()).isEqualTo("done");
    }

    @Test
    void registersForServersWithModerateMembersByDefault() {
        SlashCommandData data = KICK.definition();
        assertThat(data.getContexts()).containsExactly(InteractionContextType.GUILD);
        assertThat(data.getDefaultPermissions().getPermissionsRaw())
                .isEqualTo(Permission.MODERATE_MEMBERS.getRawValue());
    }
}
