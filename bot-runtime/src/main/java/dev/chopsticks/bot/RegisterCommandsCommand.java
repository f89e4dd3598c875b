package dev.chopsticks.bot;

import dev.chopsticks.bot.commands.CommandDefinitions;
import dev.chopsticks.bot.commands.builtin.BotCommands;
import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.DiscordConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.lifecycle.CommandsPayload;
import dev.chopsticks.bot.lifecycle.CommandsRestClient;

/**
 * {@code register-commands}: one bulk overwrite of the global slash commands, for an operator Job run once per
 * deploy (then set {@code REGISTER_COMMANDS=false} on the shards). Needs only DISCORD_TOKEN (and the API URL).
 */
final class RegisterCommandsCommand {
    private RegisterCommandsCommand() {}

    static int run(EnvReader env, String[] args) throws Exception {
        LogLevels.apply(BotConfig.logLevel(env));
        DiscordConfig discord = DiscordConfig.fromEnv(env);
        // Definitions only: the handlers' stores are never called here.
        CommandsPayload payload = CommandsPayload.of(
                CommandDefinitions.of(BotCommands.create(null, null, null, null, null, null, null, null, null)));
        int count = new CommandsRestClient(discord).overwriteGlobal(payload);
        System.out.println("registered " + count + " slash commands (definitions " + payload.hash() + ")");
        return 0;
    }
}
