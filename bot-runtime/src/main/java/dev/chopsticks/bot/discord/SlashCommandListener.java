package dev.chopsticks.bot.discord;

import dev.chopsticks.bot.commands.CommandDispatcher;
import dev.chopsticks.bot.commands.CommandOptions;
import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.commands.UserRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps JDA slash command events to the JDA-free dispatcher and sends its reply back.
 *
 * <p>Deferral is lazy: a command that may be slow is acknowledged with a deferral only if it has not answered within
 * {@link #DEFER_AFTER}; a command that answers sooner (nearly all: cache hits and short transactions) replies in one
 * request instead of two (defer, then edit), which halves the REST traffic and the reply latency.
 */
public final class SlashCommandListener extends ListenerAdapter implements InteractionHandler {
    private static final Logger log = LoggerFactory.getLogger(SlashCommandListener.class);

    /** Well inside Discord's 3 s acknowledgement window, even with a slow REST round trip. */
    public static final Duration DEFER_AFTER = Duration.ofSeconds(1);

    private static final int PENDING = 0;
    private static final int REPLIED = 1;
    private static final int DEFERRED = 2;

    private final CommandRegistry registry;
    private final CommandDispatcher dispatcher;
    private final ScheduledExecutorService scheduler;
    private final Duration deferAfter;
    private final InteractionLatency latency;

    public SlashCommandListener(
            CommandRegistry registry,
            CommandDispatcher dispatcher,
            ScheduledExecutorService scheduler,
            Duration deferAfter,
            InteractionLatency latency) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.deferAfter = deferAfter;
        this.latency = latency;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        handle(event, System.nanoTime());
    }

    /**
     * Answers the interaction that arrived at {@code received} ({@link System#nanoTime()}); it may start later (a
     * standby generation waits before claiming it), so the deferral and the timeout guard count from the arrival.
     */
    @Override
    public void handle(SlashCommandInteractionEvent event, long received) {
        Duration elapsed = Duration.ofNanos(Math.max(0, System.nanoTime() - received));
        SlashCommand command = registry.find(event.getName()).orElse(null);
        boolean deferrable = command != null && command.deferred();
        boolean ephemeral = command != null && command.ephemeral();
        AtomicInteger state = new AtomicInteger(PENDING);
        ScheduledFuture<?> deferral = !deferrable
                ? null
                : scheduler.schedule(
                        () -> {
                            if (state.compareAndSet(PENDING, DEFERRED)) {
                                // Still working: acknowledge inside the 3 s window; the answer follows as an edit of
                                // the original.
                                event.deferReply(ephemeral)
                                        .queue(
                                                null,
                                                e -> log.warn(
                                                        "defer failed for /{}: {}", event.getName(), e.toString()));
                            }
                        },
                        Math.max(0, deferAfter.minus(elapsed).toNanos()),
                        TimeUnit.NANOSECONDS);
        dispatcher.dispatch(toRequest(event), elapsed).whenComplete((reply, error) -> {
            CommandReply answer = error == null ? reply : Replies.error("Something went wrong.");
            if (deferral != null) {
                deferral.cancel(false);
            }
            boolean ok = error == null;
            if (state.compareAndSet(PENDING, REPLIED)) {
                event.reply(JdaReplies.create(answer))
                        .setEphemeral(ephemeral)
                        .queue(done -> recordLatency(event, ok, received), e -> failed(event, received, e));
            } else {
                // JDA's hook holds the edit until the deferral is acknowledged.
                event.getHook()
                        .editOriginal(JdaReplies.edit(answer))
                        .queue(done -> recordLatency(event, ok, received), e -> failed(event, received, e));
            }
        });
    }

    private void recordLatency(SlashCommandInteractionEvent event, boolean ok, long receivedNanos) {
        latency.record(event.getName(), ok, Duration.ofNanos(System.nanoTime() - receivedNanos));
    }

    private void failed(SlashCommandInteractionEvent event, long receivedNanos, Throwable e) {
        log.warn("reply failed for /{}: {}", event.getName(), e.toString());
        recordLatency(event, false, receivedNanos);
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
        boolean moderate = member != null
                && (member.hasPermission(Permission.MODERATE_MEMBERS) || member.hasPermission(Permission.KICK_MEMBERS));
        long guildId = event.getGuild() == null ? 0 : event.getGuild().getIdLong();
        String guildName = event.getGuild() == null ? "" : event.getGuild().getName();
        User user = event.getUser();
        return new CommandRequest(
                event.getName(),
                event.getSubcommandName(),
                new CommandOptions(options),
                guildId,
                guildName,
                event.getChannelIdLong(),
                new UserRef(user.getIdLong(), user.getName()),
                manage,
                moderate,
                new JdaShardContext(event.getJDA()));
    }
}
