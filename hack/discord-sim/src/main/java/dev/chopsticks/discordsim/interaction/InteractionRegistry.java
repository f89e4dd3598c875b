package dev.chopsticks.discordsim.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.commands.CommandStore;
import dev.chopsticks.discordsim.gateway.Dispatcher;
import dev.chopsticks.discordsim.http.DiscordApiException;
import dev.chopsticks.discordsim.http.FormErrors;
import dev.chopsticks.discordsim.http.MessageBodies;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.metrics.SimMetrics;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.MessageStore;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimChannel;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.SimMember;
import dev.chopsticks.discordsim.world.SimUser;
import dev.chopsticks.discordsim.world.Snowflake;
import dev.chopsticks.discordsim.world.World;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
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
    private static final int TYPE_APPLICATION_COMMAND = 2;
    private static final int MESSAGE_TYPE_CHAT_INPUT_COMMAND = 20;
    private static final int FLAG_EPHEMERAL = 64;
    private static final int FLAG_LOADING = 128;
    /** Callback types valid for an application command: message, deferred message, modal, premium, launch activity. */
    private static final Set<Integer> COMMAND_CALLBACKS = Set.of(4, 5, 9, 10, 12);

    private final SimConfig config;
    private final World world;
    private final CommandStore commands;
    private final Dispatcher dispatcher;
    private final MessageStore messages;
    private final SimMetrics metrics;
    private final LongSupplier nanos;
    private final Map<Long, PendingInteraction> byId = new ConcurrentHashMap<>();
    private final Map<String, PendingInteraction> byToken = new ConcurrentHashMap<>();

    public InteractionRegistry(
            SimConfig config,
            World world,
            CommandStore commands,
            Dispatcher dispatcher,
            MessageStore messages,
            SimMetrics metrics,
            LongSupplier nanos) {
        this.config = config;
        this.world = world;
        this.commands = commands;
        this.dispatcher = dispatcher;
        this.messages = messages;
        this.metrics = metrics;
        this.nanos = nanos;
    }

    /**
     * Dispatches INTERACTION_CREATE to the sessions holding the guild.
     *
     * @throws IllegalArgumentException for an unknown guild, channel or user
     * @throws IllegalStateException when no gateway session holds the guild
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
        int delivered =
                dispatcher.toGuild(guild.id(), "INTERACTION_CREATE", payload(p, command, guild, channel, member));
        if (delivered == 0) {
            byId.remove(id);
            byToken.remove(token);
            throw new IllegalStateException("No gateway session holds guild " + Long.toUnsignedString(guild.id()));
        }
        metrics.interactionsInjected.increment();
        return new InteractionRef(
                id, token, guild.id(), channel.id(), member.user().id(), delivered);
    }

    private ObjectNode payload(
            PendingInteraction p, SlashCommand command, SimGuild guild, SimChannel channel, SimMember member) {
        ObjectNode d = Json.object()
                .put("id", EntityJson.id(p.id))
                .put("application_id", EntityJson.id(world.applicationId()))
                .put("type", TYPE_APPLICATION_COMMAND)
                .put("guild_id", EntityJson.id(guild.id()))
                .put("channel_id", EntityJson.id(channel.id()))
                .put("token", p.token)
                .put("version", 1)
                .put("app_permissions", "8")
                .put("locale", "en-US")
                .put("guild_locale", "en-US")
                .put("context", 0)
                .put("attachment_size_limit", 10_485_760);
        Optional<ObjectNode> registered = commands.find(guild.id(), command.name());
        ObjectNode data = d.putObject("data")
                .put(
                        "id",
                        registered
                                .map(c -> c.path("id").asText())
                                .orElseGet(() -> EntityJson.id(Snowflake.of(
                                        150_000_000_000L
                                                + Math.floorMod(command.name().hashCode(), 1_000_000),
                                        5,
                                        0,
                                        0))))
                .put("name", command.name())
                .put("type", 1);
        registered
                .filter(c -> c.has("guild_id"))
                .ifPresent(c -> data.put("guild_id", c.get("guild_id").asText()));
        if (!command.options().isEmpty()) {
            var options = data.putArray("options");
            command.options().forEach(o -> options.add(o.toJson()));
            ObjectNode resolved = resolved(command.options(), guild);
            if (!resolved.isEmpty()) {
                data.set("resolved", resolved);
            }
        }
        d.putObject("guild")
                .put("id", EntityJson.id(guild.id()))
                .put("locale", "en-US")
                .putArray("features");
        d.set("channel", EntityJson.channel(channel).put("permissions", "2248473465835073"));
        d.set("member", EntityJson.member(member, true).put("permissions", "2248473465835073"));
        d.putArray("entitlements");
        d.putObject("authorizing_integration_owners").put("0", EntityJson.id(guild.id()));
        return d;
    }

    private ObjectNode resolved(List<CommandOption> options, SimGuild guild) {
        ObjectNode resolved = Json.object();
        for (CommandOption o : options) {
            resolved.setAll(resolved(o.options(), guild));
            if (o.value() == null) {
                continue;
            }
            long ref;
            try {
                ref = Long.parseUnsignedLong(o.value().asText());
            } catch (NumberFormatException e) {
                continue;
            }
            switch (o.type()) {
                case CommandOption.USER ->
                    world.user(ref).ifPresent(u -> {
                        resolved.withObjectProperty("users").set(EntityJson.id(ref), EntityJson.user(u));
                        guild.member(ref)
                                .ifPresent(m -> resolved.withObjectProperty("members")
                                        .set(
                                                EntityJson.id(ref),
                                                EntityJson.member(m, false).put("permissions", "2248473465835073")));
                    });
                case CommandOption.CHANNEL ->
                    world.channel(ref)
                            .ifPresent(c -> resolved.withObjectProperty("channels")
                                    .set(
                                            EntityJson.id(ref),
                                            EntityJson.channel(c).put("permissions", "2248473465835073")));
                case CommandOption.ROLE ->
                    guild.roles().stream()
                            .filter(r -> r.id() == ref)
                            .findFirst()
                            .ifPresent(r -> resolved.withObjectProperty("roles")
                                    .set(
                                            EntityJson.id(ref),
                                            EntityJson.role(r, world.bot().id(), false)));
                default -> {}
            }
        }
        return resolved;
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
            if (now - p.injectedNanos > config.interactionAckDeadline().toNanos()) {
                metrics.lateAcknowledgements.increment();
                throw DiscordApiException.unknownInteraction(); // too late: Discord has already failed it
            }
            p.acknowledge(type, now);
            ObjectNode message = null;
            if (type == 4 || type == 5) {
                message = newMessage(p, MESSAGE_TYPE_CHAT_INPUT_COMMAND);
                if (type == 4) {
                    MessageBodies.apply(message, data);
                } else {
                    message.put("flags", FLAG_LOADING | (data.path("flags").asInt(0) & FLAG_EPHEMERAL));
                }
                p.original(message);
                store(message, PostedMessage.Source.INTERACTION_RESPONSE);
            }
            completeIf(p, p.record(InteractionReply.Kind.CALLBACK, body, now, type != 5));
            if (!withResponse) {
                return Optional.empty();
            }
            ObjectNode response = Json.object();
            ObjectNode interaction = response.putObject("interaction")
                    .put("id", EntityJson.id(p.id))
                    .put("type", TYPE_APPLICATION_COMMAND)
                    .putNull("activity_instance_id");
            ObjectNode resource = response.putObject("resource").put("type", type);
            if (message != null) {
                interaction
                        .put("response_message_id", message.get("id").asText())
                        .put("response_message_loading", type == 5)
                        .put(
                                "response_message_ephemeral",
                                (message.path("flags").asInt() & FLAG_EPHEMERAL) != 0);
                resource.set("message", message); // published messages are never mutated, only replaced
            }
            return Optional.of(response);
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
            ObjectNode message = newMessage(p, 0);
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
        if (nanos.getAsLong() - p.injectedNanos
                > config.interactionTokenLifetime().toNanos()) {
            throw new DiscordApiException(401, 50027, "Invalid Webhook Token");
        }
        return p;
    }

    private ObjectNode newMessage(PendingInteraction p, int type) {
        SimUser bot = world.bot();
        ObjectNode message = EntityJson.message(Snowflake.next(), p.channel, bot, Instant.now(), type)
                .put("webhook_id", EntityJson.id(world.applicationId()))
                .put("application_id", EntityJson.id(world.applicationId()));
        ObjectNode metadata = message.putObject("interaction_metadata")
                .put("id", EntityJson.id(p.id))
                .put("type", TYPE_APPLICATION_COMMAND)
                .put("name", p.commandName);
        world.user(p.userId).ifPresent(u -> metadata.set("user", EntityJson.user(u)));
        metadata.putObject("authorizing_integration_owners").put("0", EntityJson.id(p.guildId));
        return message;
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
        long cutoff = nanos.getAsLong() - config.interactionTokenLifetime().toNanos();
        byId.values().removeIf(p -> {
            boolean old = p.injectedNanos < cutoff;
            if (old) {
                byToken.remove(p.token);
            }
            return old;
        });
    }
}
