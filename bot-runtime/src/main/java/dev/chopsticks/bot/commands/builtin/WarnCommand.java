package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.ModLog;
import dev.chopsticks.bot.commands.ModeratorCommand;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.data.GuildConfigStore;
import dev.chopsticks.bot.data.ModerationCase;
import dev.chopsticks.bot.data.ModerationCaseRepository;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /warn user reason: records a moderation case and posts it to the mod-log channel if one is set. */
public final class WarnCommand extends ModeratorCommand {
    static final int MAX_REASON = 500;

    private final ModerationCaseRepository cases;
    private final GuildConfigStore settings;
    private final ModLog modLog;

    public WarnCommand(ModerationCaseRepository cases, GuildConfigStore settings, ModLog modLog) {
        this.cases = cases;
        this.settings = settings;
        this.modLog = modLog;
    }

    @Override
    public String name() {
        return "warn";
    }

    @Override
    public String description() {
        return "Warn a member and record a moderation case";
    }

    @Override
    public SlashCommandData definition() {
        return moderatorSlash()
                .addOption(OptionType.USER, "user", "Member to warn", true)
                .addOption(OptionType.STRING, "reason", "Why", true);
    }

    @Override
    protected CommandReply moderate(CommandRequest request) {
        UserRef target = request.options().user("user").orElse(null);
        String reason = request.options().string("reason").map(String::strip).orElse("");
        if (target == null) {
            return Replies.error("Choose a member to warn.");
        }
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            return Replies.error("The reason must be 1-" + MAX_REASON + " characters.");
        }
        ModerationCase c = cases.create(
                request.guildId(), "warn", target.id(), request.user().id(), reason);
        CommandReply reply = CommandReply.embed(Embed.of(
                        "⚠️ Case #" + c.caseNumber() + " — warning",
                        target.mention() + " was warned by " + request.user().mention(),
                        Embed.YELLOW)
                .field("Reason", reason, false));
        Long modLogChannel = settings.load(request.guildId()).value().modLogChannelId();
        if (modLogChannel != null) {
            modLog.post(modLogChannel, reply);
        }
        return reply;
    }
}
