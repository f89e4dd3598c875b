package dev.chopsticks.discordsim.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.commands.CommandStore;
import dev.chopsticks.discordsim.errors.DiscordApiException;
import dev.chopsticks.discordsim.errors.FormErrors;
import dev.chopsticks.discordsim.gateway.Dispatcher;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.MessageBodies;
import dev.chopsticks.discordsim.world.MessageStore;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimChannel;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.SimMember;
import dev.chopsticks.discordsim.world.Snowflake;
import dev.chopsticks.discordsim.world.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Injects slash-command interactions and receives the bot's answers through the interaction endpoints
 * ({@code /interactions/{id}/{token}/callback}, {@code /webhooks/{app}/{token}...}), tracking latency.
 */
public final class InteractionRegistry {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MESSAGE_TYPE_CHAT_INPUT_COMMAND = 20;
    private static final int FLAG_LOADING = 128;
    /** Callback types valid for an application command: message, deferred message, modal, premium, launch activity. */
    private static final Set<Integer> COMMAND_CALLBACKS = Set.of(4, 5, 9, 10, 12);

    private final Duration ackDeadline;
    private final Duration tokenLifetime;
    private final World world;
    private final InteractionJson json;
    private final Dispatcher dispatcher;
    private final MessageStore messages;
    private final SimMetrics metrics;
    private final LongSupplier nanos;
    private final Map<Long, PendingInteraction> byId = new ConcurrentHashMap<>();
    private final Map<String, PendingInteraction> byToken = new ConcurrentHashMap<>();

    /**
     * @param ackDeadline time the bot has for its initial response (Discord: 3 s)
     * @param tokenLifetime how long follow-ups and {@code @original} edits are accepted (Discord: 15 min)
     */
    public InteractionRegistry(
            Duration ackDeadline,
            Duration tokenLifetime,
            World world,
            CommandStore commands,
            Dispatcher dispatcher,
            MessageStore messages,
            SimMetrics metrics,
            LongSupplier nanos) {
        this.ackDeadline = ackDeadline;
        this.tokenLifetime = tokenLifetime;
        this.world = world;
        this.json = new InteractionJson(world, commands);
        this.dispatcher = dispatcher;
        this.messages = messages;
        this.metrics = metrics;
        this.nanos = nanos;
    }

    /**
     * Dispatches INTERACTION_CREATE to the sessions holding the guild. A resumable session without a connection (its
     * bot between processes) counts: the event waits in its buffer for the RESUME that replays it, as on Discord, and
     * the 3 s acknowledgement deadline runs from now all the same.
     *
     * @throws IllegalArgumentException for an unknown guild, channel or user
     * @throws IllegalStateException when no gateway session, connected or resumable, holds the guild
     */
    public InteractionRef inject(SlashCommand command) {
        SimGuild guild = world.guild(command.guildId())
                .orElseThrow(() ->
                        new IllegalArgumentException("Unknown guild " + Long.toUnsignedString(command.guildId())));
        SimChannel channel = command.channelId() == 0
                ? guild.defaultTextChannel()
                : guild.channels().stream()
                        .filter(c -> c.id() == command.channelId() && c.type().isText())
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "Unknown text channel " + Long.toUnsignedString(command.channelId())));
        SimMember member = command.userId() == 0
                ? guild.members().stream()
                        .filter(m -> !m.user().bot())
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("Guild has no human member"))
                : guild.member(command.userId())
                        .orElseThrow(() -> new IllegalArgumentException(
                                "User is not a member: " + Long.toUnsignedString(command.userId())));
        long id = Snowflake.next();
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String token = "aW50ZXJhY3Rpb24" + id + HexFormat.of().formatHex(secret);
        PendingInteraction p = new PendingInteraction(
                id, token, guild.id(), channel, member.user().id(), command.name(), nanos.getAsLong());
        byId.put(id, p);
        byToken.put(token, p);
        int delivered = dispatcher.toGuild(
                guild.id(), "INTERACTION_CREATE", json.interactionCreate(p, command, guild, channel, member));
        if (delivered == 0) {
            byId.remove(id);
            byToken.remove(token);
            throw new IllegalStateException("No gateway session holds guild " + Long.toUnsignedString(guild.id()));
        }
        metrics.interactionsInjected.increment();
        return new InteractionRef(
                id, token, guild.id(), channel.id(), member.user().id(), delivered);
    }

    /** The future completes when the bot's reply becomes final (see {@link InteractionOutcome}). */
    public Optional<CompletableFuture<InteractionOutcome>> outcome(long interactionId) {
        return Optional.ofNullable(byId.get(interactionId)).map(p -> p.done);
    }

    /** The replies so far, final or not. */
    public Optional<InteractionOutcome> snapshot(long interactionId) {
        return Optional.ofNullable(byId.get(interactionId)).map(PendingInteraction::snapshot);
    }

    /** {@code POST /interactions/{id}/{token}/callback}. Returns the body for {@code ?with_response=true}, else empty (204). */
    public Optional<ObjectNode> callback(long interactionId, String token, JsonNode body, boolean withResponse) {
        PendingInteraction p = byId.get(interactionId);
        if (p == null || !p.token.equals(token)) {
            throw DiscordApiException.unknownInteraction();
        }
        long now = nanos.getAsLong();
        if (!body.isObject() || !body.path("type").isIntegralNumber()) {
            throw DiscordApiException.invalidFormBody(new FormErrors().required("type"));
        }
        int type = body.get("type").asInt();
        if (!COMMAND_CALLBACKS.contains(type)) {
            throw DiscordApiException.invalidFormBody(new FormErrors()
                    .add(
                            "INTERACTION_RESPONSE_TYPE_INVALID",
                            "Interaction response type is invalid for this interaction",
                            "type"));
        }
        JsonNode data = body.path("data");
        if (type == 4) {
            MessageBodies.validateCreate(data);
        }
        synchronized (p) {
            if (p.callbackType() != 0) {
                metrics.duplicateAcknowledgements.increment();
                throw DiscordApiException.alreadyAcknowledged();
            }
            if (now - p.injectedNanos > ackDeadline.toNanos()) {
                metrics.lateAcknowledgements.increment();
                throw DiscordApiException.unknownInteraction(); // too late: Discord has already failed it
            }
            p.acknowledge(type, now);
            ObjectNode message = null;
            if (type == 4 || type == 5) {
                message = json.responseMessage(p, MESSAGE_TYPE_CHAT_INPUT_COMMAND);
                if (type == 4) {
                    MessageBodies.apply(message, data);
                } else {
                    message.put("flags", FLAG_LOADING | (data.path("flags").asInt(0) & InteractionJson.FLAG_EPHEMERAL));
                }
                p.original(message);
                store(message, PostedMessage.Source.INTERACTION_RESPONSE);
            }
            completeIf(p, p.record(InteractionReply.Kind.CALLBACK, body, now, type != 5));
            return withResponse ? Optional.of(InteractionJson.callbackResponse(p, type, message)) : Optional.empty();
        }
    }

    /** {@code PATCH /webhooks/{app}/{token}/messages/@original}. */
    public ObjectNode editOriginal(long applicationId, String token, JsonNode body) {
        PendingInteraction p = byWebhook(applicationId, token);
        MessageBodies.validateEdit(body);
        long now = nanos.getAsLong();
        synchronized (p) {
            ObjectNode message = p.original();
            if (message == null) {
                throw DiscordApiException.unknownMessage();
            }
            boolean wasLoading = (message.path("flags").asInt() & FLAG_LOADING) != 0;
            MessageBodies.apply(message, body);
            message.put("flags", message.path("flags").asInt() & ~FLAG_LOADING);
            if (!wasLoading) {
                message.put("edited_timestamp", Instant.now().toString());
            }
            p.original(message);
            replaceStored(message, PostedMessage.Source.INTERACTION_RESPONSE);
            completeIf(p, p.record(InteractionReply.Kind.EDIT_ORIGINAL, body, now, true));
            return message.deepCopy();
        }
    }

    /** {@code GET /webhooks/{app}/{token}/messages/@original}. */
    public ObjectNode original(long applicationId, String token) {
        ObjectNode message = byWebhook(applicationId, token).original();
        if (message == null) {
            throw DiscordApiException.unknownMessage();
        }
        return message;
    }

    /** {@code POST /webhooks/{app}/{token}}: a follow-up message. */
    public ObjectNode followup(long applicationId, String token, JsonNode body) {
        PendingInteraction p = byWebhook(applicationId, token);
        MessageBodies.validateCreate(body);
        long now = nanos.getAsLong();
        synchronized (p) {
            if (p.callbackType() == 0) {
                throw DiscordApiException.unknownWebhook(); // follow-ups need an acknowledged interaction
            }
            ObjectNode message = json.responseMessage(p, 0);
            MessageBodies.apply(message, body);
            long messageId = Long.parseUnsignedLong(message.get("id").asText());
            p.followup(messageId, message);
            store(message, PostedMessage.Source.INTERACTION_FOLLOWUP);
            completeIf(p, p.record(InteractionReply.Kind.FOLLOWUP, body, now, true));
            return message.deepCopy();
        }
    }

    /** {@code PATCH /webhooks/{app}/{token}/messages/{id}} for a follow-up. */
    public ObjectNode editFollowup(long applicationId, String token, long messageId, JsonNode body) {
        PendingInteraction p = byWebhook(applicationId, token);
        MessageBodies.validateEdit(body);
        synchronized (p) {
            ObjectNode message = p.followup(messageId);
            if (message == null) {
                throw DiscordApiException.unknownMessage();
            }
            MessageBodies.apply(message, body);
            message.put("edited_timestamp", Instant.now().toString());
            p.followup(messageId, message);
            replaceStored(message, PostedMessage.Source.INTERACTION_FOLLOWUP);
            p.record(InteractionReply.Kind.EDIT_FOLLOWUP, body, nanos.getAsLong(), false);
            return message.deepCopy();
        }
    }

    public ObjectNode followupMessage(long applicationId, String token, long messageId) {
        ObjectNode message = byWebhook(applicationId, token).followup(messageId);
        if (message == null) {
            throw DiscordApiException.unknownMessage();
        }
        return message;
    }

    private PendingInteraction byWebhook(long applicationId, String token) {
        PendingInteraction p = byToken.get(token);
        if (p == null || applicationId != world.applicationId()) {
            throw DiscordApiException.unknownWebhook();
        }
        if (nanos.getAsLong() - p.injectedNanos > tokenLifetime.toNanos()) {
            throw new DiscordApiException(401, 50027, "Invalid Webhook Token");
        }
        return p;
    }

    private void store(ObjectNode message, PostedMessage.Source source) {
        messages.add(posted(message, source));
    }

    private void replaceStored(ObjectNode message, PostedMessage.Source source) {
        messages.replace(posted(message, source));
    }

    private PostedMessage posted(ObjectNode message, PostedMessage.Source source) {
        return new PostedMessage(
                Long.parseUnsignedLong(message.get("id").asText()),
                Long.parseUnsignedLong(message.get("channel_id").asText()),
                world.bot().id(),
                message.path("content").asText(""),
                source,
                Instant.now(),
                message);
    }

    private void completeIf(PendingInteraction p, boolean completedNow) {
        if (completedNow) {
            metrics.interactionsAnswered.increment();
            metrics.recordInteractionLatency(p.finalLatencyNanos());
            p.done.complete(p.snapshot());
        }
    }

    /** Forgets interactions whose token has expired. */
    public void purge() {
        long cutoff = nanos.getAsLong() - tokenLifetime.toNanos();
        byId.values().removeIf(p -> {
            boolean old = p.injectedNanos < cutoff;
            if (old) {
                byToken.remove(p.token);
            }
            return old;
        });
    }
}
