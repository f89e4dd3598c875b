package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandOptions;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.data.GuildConfigStore;
import dev.chopsticks.bot.data.GuildSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/** /config view|set: prefix, language, welcome channel, mod-log channel. */
public final class ConfigCommand implements SlashCommand {
    public static final Set<String> LANGUAGES = Set.of("en", "de", "fr", "es", "pt", "ja");
    static final int MAX_PREFIX = 5;

    private final GuildConfigStore store;

    public ConfigCommand(GuildConfigStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    public String description() {
        return "View or change this server's settings";
    }

    @Override
    public boolean ephemeral() {
        return true;
    }

    @Override
    public SlashCommandData definition() {
        OptionData language = new OptionData(OptionType.STRING, "language", "Bot language");
        LANGUAGES.stream().sorted().forEach(l -> language.addChoice(l, l));
        return Commands.slash(name(), description())
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .addSubcommands(
                        new SubcommandData("view", "Show the current settings"),
                        new SubcommandData("set", "Change one or more settings")
                                .addOption(OptionType.STRING, "prefix", "Prefix for text commands (max 5 characters)")
                                .addOptions(language)
                                .addOption(OptionType.CHANNEL, "welcome_channel", "Channel for welcome messages")
                                .addOption(OptionType.CHANNEL, "modlog_channel", "Channel for moderation logs"));
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        if (!request.inGuild()) {
            return Replies.guildOnly();
        }
        if ("set".equals(request.subcommand())) {
            return set(request);
        }
        return show("⚙️ Server settings", store.load(request.guildId()).value());
    }

    private CommandReply set(CommandRequest request) {
        if (!request.canManageGuild()) {
            return Replies.missingPermission("Manage Server");
        }
        CommandOptions o = request.options();
        List<UnaryOperator<GuildSettings>> changes = new ArrayList<>();
        if (o.string("prefix").isPresent()) {
            String prefix = o.string("prefix").get().strip();
            if (prefix.isEmpty()
                    || prefix.length() > MAX_PREFIX
                    || prefix.chars().anyMatch(Character::isWhitespace)) {
                return Replies.error("The prefix must be 1-" + MAX_PREFIX + " characters without spaces.");
            }
            changes.add(s -> s.withPrefix(prefix));
        }
        if (o.string("language").isPresent()) {
            String lang = o.string("language").get();
            if (!LANGUAGES.contains(lang)) {
                return Replies.error("Language must be one of "
                        + String.join(", ", LANGUAGES.stream().sorted().toList()) + ".");
            }
            changes.add(s -> s.withLanguage(lang));
        }
        o.channel("welcome_channel").ifPresent(id -> changes.add(s -> s.withWelcomeChannelId(id)));
        o.channel("modlog_channel").ifPresent(id -> changes.add(s -> s.withModLogChannelId(id)));
        if (changes.isEmpty()) {
            return Replies.error("Give at least one setting to change.");
        }
        GuildSettings saved = store.update(request.guildId(), s -> {
                    GuildSettings result = s;
                    for (UnaryOperator<GuildSettings> change : changes) {
                        result = change.apply(result);
                    }
                    return result;
                })
                .value();
        return show("✅ Settings saved", saved);
    }

    static CommandReply show(String title, GuildSettings s) {
        return CommandReply.embed(Embed.of(title, null, Embed.GREEN)
                .field("Prefix", "`" + s.prefix() + "`", true)
                .field("Language", s.language(), true)
                .field("Welcome channel", channel(s.welcomeChannelId()), true)
                .field("Mod-log channel", channel(s.modLogChannelId()), true));
    }

    static String channel(Long id) {
        return id == null ? "not set" : "<#" + id + ">";
    }
}
