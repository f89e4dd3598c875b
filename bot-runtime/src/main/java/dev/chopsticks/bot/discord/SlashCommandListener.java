package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.commands.CommandDispatcher;
import dev.chopsticks.bot.commands.CommandOptions;
import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.commands.UserRef;
import java.util.HashMap;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps JDA slash command events to the JDA-free dispatcher and sends its reply back. */
public final class SlashCommandListener extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SlashCommandListener.class);

    private final CommandRegistry registry;
    private final CommandDispatcher dispatcher;

    public SlashCommandListener(CommandRegistry registry, CommandDispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        SlashCommand command = registry.find(event.getName()).orElse(null);
        boolean deferred = command != null && command.deferred();
        boolean ephemeral = command != null && command.ephemeral();
        if (deferred) {
            // Acknowledge inside Discord's 3 s window; the answer follows as an edit of the original response.
            event.deferReply(ephemeral).queue(null, e -> log.warn("defer failed for /{}: {}", event.getName(), e.toString()));
        }
        dispatcher.dispatch(toRequest(event)).whenComplete((reply, error) -> {
            CommandReply answer = error == null ? reply : dev.chopsticks.bot.commands.Replies.error("Something went wrong.");
            if (deferred) {
                event.getHook().editOriginal(JdaReplies.edit(answer)).queue(null,
                        e -> log.warn("reply failed for /{}: {}", event.getName(), e.toString()));
            } else {
                event.reply(JdaReplies.create(answer)).setEphemeral(ephemeral).queue(null,
                        e -> log.warn("reply failed for /{}: {}", event.getName(), e.toString()));
            }
        });
    }

    static CommandRequest toRequest(SlashCommandInteractionEvent event) {
        Map<String, Object> options = new HashMap<>();
        for (OptionMapping o : event.getOptions()) {
            Object value = switch (o.getType()) {
                case INTEGER -> o.getAsLong();
                case BOOLEAN -> o.getAsBoolean();
                case USER -> {
                    User u = o.getAsUser();
                    yield new UserRef(u.getIdLong(), u.getName());
                }
                case CHANNEL -> o.getAsChannel().getIdLong();
                case ROLE -> o.getAsRole().getIdLong();
                default -> o.getAsString();
            };
            options.put(o.getName(), value);
        }
        Member member = event.getMember();
        boolean manage = member != null && member.hasPermission(Permission.MANAGE_SERVER);
        boolean moderate = member != null && (member.hasPermission(Permission.MODERATE_MEMBERS)
                || member.hasPermission(Permission.KICK_MEMBERS));
        long guildId = event.getGuild() == null ? 0 : event.getGuild().getIdLong();
        String guildName = event.getGuild() == null ? "" : event.getGuild().getName();
        User user = event.getUser();
        return new CommandRequest(event.getName(), event.getSubcommandName(), new CommandOptions(options), guildId, guildName,
                event.getChannelIdLong(), new UserRef(user.getIdLong(), user.getName()), manage, moderate,
                new JdaShardContext(event.getJDA()));
    }
}
