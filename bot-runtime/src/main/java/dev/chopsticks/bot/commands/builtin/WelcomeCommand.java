package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.data.GuildConfigStore;
import dev.chopsticks.bot.data.GuildSettings;
import java.util.Optional;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.DefaultMemberPermissions;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /welcome [message] [channel]: set the join message template (and channel); without options shows a preview. */
public final class WelcomeCommand implements SlashCommand {
    private final GuildConfigStore store;

    public WelcomeCommand(GuildConfigStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "welcome";
    }

    @Override
    public String description() {
        return "Set or preview the message posted when someone joins";
    }

    @Override
    public boolean ephemeral() {
        return true;
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description())
                .setContexts(InteractionContextType.GUILD)
                .setDefaultPermissions(DefaultMemberPermissions.enabledFor(Permission.MANAGE_SERVER))
                .addOption(OptionType.STRING, "message", "Template: {user} {username} {server} {memberCount}")
                .addOption(OptionType.CHANNEL, "channel", "Channel to post welcome messages in");
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        if (!request.inGuild()) {
            return Replies.guildOnly();
        }
        Optional<String> message = request.options().string("message");
        Optional<Long> channel = request.options().channel("channel");
        GuildSettings settings;
        String title;
        if (message.isEmpty() && channel.isEmpty()) {
            settings = store.load(request.guildId()).value();
            title = "👋 Welcome message";
        } else {
            if (!request.canManageGuild()) {
                return Replies.missingPermission("Manage Server");
            }
            if (message.isPresent()
                    && (message.get().isBlank() || message.get().length() > WelcomeMessages.MAX_TEMPLATE)) {
                return Replies.error("The message must be 1-" + WelcomeMessages.MAX_TEMPLATE + " characters.");
            }
            settings = store.update(request.guildId(), s -> {
                        GuildSettings r = s;
                        if (message.isPresent()) {
                            r = r.withWelcomeMessage(message.get().strip());
                        }
                        if (channel.isPresent()) {
                            r = r.withWelcomeChannelId(channel.get());
                        }
                        return r;
                    })
                    .value();
            title = "✅ Welcome message saved";
        }
        String template =
                settings.welcomeMessage() == null ? WelcomeMessages.DEFAULT_TEMPLATE : settings.welcomeMessage();
        String preview = WelcomeMessages.render(template, request.guildName(), request.user(), 42);
        Embed embed = Embed.of(title, null, Embed.GREEN)
                .field("Channel", ConfigCommand.channel(settings.welcomeChannelId()), true)
                .field("Template", template, false)
                .field("Preview", preview, false);
        if (settings.welcomeChannelId() == null) {
            embed = embed.footer("Set a channel with /welcome channel:#channel to turn welcome messages on.");
        }
        return CommandReply.embed(embed);
    }
}
