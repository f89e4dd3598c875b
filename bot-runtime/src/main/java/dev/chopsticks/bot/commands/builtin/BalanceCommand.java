package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.data.UserDataStore;
import dev.chopsticks.bot.data.Wallet;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /balance [user]: coins in a wallet (read through the user cache layers). */
public final class BalanceCommand implements SlashCommand {
    private final UserDataStore users;

    public BalanceCommand(UserDataStore users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "balance";
    }

    @Override
    public String description() {
        return "Show a coin balance";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description())
                .addOption(OptionType.USER, "user", "Whose balance (default: yours)");
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        UserRef who = request.options().user("user").orElse(request.user());
        Wallet wallet = users.wallet(who.id()).value();
        return CommandReply.embed(
                Embed.of("💰 Balance", who.mention() + " has **" + wallet.balance() + "** coins.", Embed.GREEN));
    }
}
