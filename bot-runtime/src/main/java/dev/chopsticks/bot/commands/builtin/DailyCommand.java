package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.data.UserDataStore;
import dev.chopsticks.bot.data.WalletRepository.DailyResult;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /daily: claim the daily coins once per 24 h. */
public final class DailyCommand implements SlashCommand {
    private final UserDataStore users;

    public DailyCommand(UserDataStore users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "daily";
    }

    @Override
    public String description() {
        return "Claim your daily coins";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description());
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        return switch (users.claimDaily(request.user().id())) {
            case DailyResult.Claimed c ->
                CommandReply.embed(Embed.of(
                        "🎁 Daily claimed",
                        "You got **" + c.amount() + "** coins. Balance: **"
                                + c.wallet().value().balance() + "**.",
                        Embed.GREEN));
            case DailyResult.TooSoon t ->
                CommandReply.embed(Embed.of(
                        "⏰ Already claimed",
                        "Come back <t:" + t.nextClaimAt().getEpochSecond() + ":R>.",
                        Embed.YELLOW));
        };
    }
}
