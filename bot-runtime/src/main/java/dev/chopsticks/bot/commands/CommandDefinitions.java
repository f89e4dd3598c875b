package dev.chopsticks.bot.commands;

import java.util.List;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;

/** JDA registration data for every registered command (for updateCommands / register-commands). */
public final class CommandDefinitions {
    private CommandDefinitions() {}

    public static List<CommandData> of(CommandRegistry registry) {
        return registry.all().stream().map(c -> (CommandData) c.definition()).toList();
    }
}
