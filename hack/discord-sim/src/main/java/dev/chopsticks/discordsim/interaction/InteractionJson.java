package dev.chopsticks.discordsim.interaction;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.commands.CommandStore;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.SimChannel;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.SimMember;
import dev.chopsticks.discordsim.world.SimUser;
import dev.chopsticks.discordsim.world.Snowflake;
import dev.chopsticks.discordsim.world.World;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The JSON of interactions as Discord shapes it: what a bot receives and the messages its replies become. */
final class InteractionJson {
    static final int TYPE_APPLICATION_COMMAND = 2;
    static final int FLAG_EPHEMERAL = 64;
    /** The computed permissions sent with members and channels: one fixed set wherever the bot looks. */
    private static final String PERMISSIONS = "2248473465835073";

    private final World world;
    private final CommandStore commands;

    InteractionJson(World world, CommandStore commands) {
        this.world = world;
        this.commands = commands;
    }

    /** INTERACTION_CREATE's data for an injected slash command. */
    ObjectNode interactionCreate(
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
        d.set("channel", EntityJson.channel(channel).put("permissions", PERMISSIONS));
        d.set("member", EntityJson.member(member, true).put("permissions", PERMISSIONS));
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
                                                EntityJson.member(m, false).put("permissions", PERMISSIONS)));
                    });
                case CommandOption.CHANNEL ->
                    world.channel(ref)
                            .ifPresent(c -> resolved.withObjectProperty("channels")
                                    .set(
                                            EntityJson.id(ref),
                                            EntityJson.channel(c).put("permissions", PERMISSIONS)));
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

    /** A new message of the bot answering the interaction: its response ({@code @original}) or a follow-up. */
    ObjectNode responseMessage(PendingInteraction p, int type) {
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

    /** The body of a callback with {@code ?with_response=true}; {@code message} is null for callbacks without one. */
    static ObjectNode callbackResponse(PendingInteraction p, int type, ObjectNode message) {
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
                    .put("response_message_ephemeral", (message.path("flags").asInt() & FLAG_EPHEMERAL) != 0);
            resource.set("message", message); // published messages are never mutated, only replaced
        }
        return response;
    }
}
