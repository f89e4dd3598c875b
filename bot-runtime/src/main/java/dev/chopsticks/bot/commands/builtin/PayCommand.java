package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.data.UserDataStore;
import dev.chopsticks.bot.data.WalletRepository.TransferResult;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /pay user amount: moves coins under row locks; never negative, never lost. */
public final class PayCommand implements SlashCommand {
    static final long MAX_AMOUNT = 1_000_000_000L;

    private final UserDataStore users;

    public PayCommand(UserDataStore users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "pay";
    }

    @Override
    public String description() {
        return "Give coins to someone";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description())
                .addOption(OptionType.USER, "user", "Who gets the coins", true)
                .addOptions(new OptionData(OptionType.INTEGER, "amount", "How many coins", true)
                        .setRequiredRange(1, MAX_AMOUNT));
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        UserRef to = request.options().user("user").orElse(null);
        long amount = request.options().number("amount").orElse(0L);
        if (to == null) {
            return Replies.error("Choose who to pay.");
        }
        if (to.id() == request.user().id()) {
            return Replies.error("You can't pay yourself.");
        }
        if (amount < 1 || amount > MAX_AMOUNT) {
            return Replies.error("The amount must be between 1 and " + MAX_AMOUNT + ".");
        }
        return switch (users.pay(request.user().id(), to.id(), amount)) {
            case TransferResult.Done d ->
                CommandReply.embed(Embed.of(
                        "💸 Payment sent",
                        request.user().mention() + " paid " + to.mention() + " **" + amount
                                + "** coins. Your balance: **"
                                + d.from().value().balance() + "**.",
                        Embed.GREEN));
            case TransferResult.InsufficientFunds f ->
                Replies.error("Not enough coins: you have **" + f.balance() + "**.");
        };
    }
}
