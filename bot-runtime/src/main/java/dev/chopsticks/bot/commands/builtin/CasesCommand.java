package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.ModeratorCommand;
import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.data.ModerationCase;
import dev.chopsticks.bot.data.ModerationCaseRepository;
import java.util.List;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /cases [user]: the latest moderation cases, newest first. */
public final class CasesCommand extends ModeratorCommand {
    static final int LIMIT = 10;

    private final ModerationCaseRepository cases;

    public CasesCommand(ModerationCaseRepository cases) {
        this.cases = cases;
    }

    @Override
    public String name() {
        return "cases";
    }

    @Override
    public String description() {
        return "List recent moderation cases";
    }

    @Override
    public boolean ephemeral() {
        return true;
    }

    @Override
    public SlashCommandData definition() {
        return moderatorSlash().addOption(OptionType.USER, "user", "Only this member's cases");
    }

    @Override
    protected CommandReply moderate(CommandRequest request) {
        UserRef target = request.options().user("user").orElse(null);
        List<ModerationCase> found = cases.list(request.guildId(), target == null ? 0 : target.id(), LIMIT);
        String scope = target == null ? "this server" : target.mention();
        if (found.isEmpty()) {
            return CommandReply.embed(Embed.of("📋 Cases", "No cases for " + scope + ".", Embed.GREY));
        }
        Embed embed = Embed.of("📋 Cases", "Latest " + found.size() + " for " + scope, Embed.BLUE);
        for (ModerationCase c : found) {
            embed = embed.field(
                    "#" + c.caseNumber() + " " + c.action(),
                    "<@" + c.targetUserId() + "> — " + c.reason() + " (by <@" + c.moderatorUserId() + ">, <t:"
                            + c.createdAt().getEpochSecond() + ":R>)",
                    false);
        }
        return CommandReply.embed(embed);
    }
}
