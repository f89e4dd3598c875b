package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.SlashCommand;
import java.util.function.Supplier;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /help: every registered command with its description. */
public final class HelpCommand implements SlashCommand {
    private final Supplier<CommandRegistry> registry;

    public HelpCommand(Supplier<CommandRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String description() {
        return "List the commands";
    }

    @Override
    public boolean ephemeral() {
        return true;
    }

    @Override
    public boolean deferred() {
        return false;
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description());
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        StringBuilder list = new StringBuilder();
        for (SlashCommand c : registry.get().all()) {
            list.append("`/")
                    .append(c.name())
                    .append("` — ")
                    .append(c.description())
                    .append('\n');
        }
        return CommandReply.embed(Embed.of("📖 Commands", list.toString().strip(), Embed.BLUE));
    }
}
