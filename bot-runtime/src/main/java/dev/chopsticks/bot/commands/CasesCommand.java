package dev.chopsticks.bot.commands;

import dev.chopsticks.bot.data.ModerationCase;
import dev.chopsticks.bot.data.ModerationCaseRepository;
import java.util.List;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /cases [user]: the latest moderation cases, newest first. */
public final class CasesCommand implements SlashCommand {
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
        return Commands.slash(name(), description())
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MODERATE_MEMBERS))
                .addOption(OptionType.USER, "user", "Only this member's cases");
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        if (!request.inGuild()) {
            return Replies.guildOnly();
        }
        if (!request.canModerate()) {
            return Replies.missingPermission("Moderate Members");
        }
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
