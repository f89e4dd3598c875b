package dev.chopsticks.discordsim.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.Snowflake;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application commands registered by the bot, global (scope 0) or per guild. Like Discord, an overwrite
 * keeps the id of a command whose name and type are unchanged and assigns fresh ids to new ones.
 */
public final class CommandStore {
    private static final long GLOBAL = 0L;

    private final long applicationId;
    private final Map<Long, List<ObjectNode>> byScope = new HashMap<>();
    private final AtomicLong overwrites = new AtomicLong();

    public CommandStore(long applicationId) {
        this.applicationId = applicationId;
    }

    /** {@code PUT .../commands}: replaces every command of the scope. */
    public synchronized List<ObjectNode> overwrite(Long guildId, JsonNode body) {
        CommandValidator.validateList(body);
        long scope = guildId == null ? GLOBAL : guildId;
        List<ObjectNode> previous = byScope.getOrDefault(scope, List.of());
        List<ObjectNode> stored = new ArrayList<>();
        for (JsonNode command : body) {
            stored.add(toStored(command, scope, previous));
        }
        byScope.put(scope, List.copyOf(stored));
        overwrites.incrementAndGet();
        return deepCopies(stored);
    }

    /** {@code POST .../commands}: creates or replaces one command by name and type. */
    public synchronized ObjectNode upsert(Long guildId, JsonNode body) {
        CommandValidator.validateOne(body);
        long scope = guildId == null ? GLOBAL : guildId;
        List<ObjectNode> previous = byScope.getOrDefault(scope, List.of());
        ObjectNode command = toStored(body, scope, previous);
        List<ObjectNode> next = new ArrayList<>(previous);
        next.removeIf(c -> sameCommand(c, command));
        next.add(command);
        byScope.put(scope, List.copyOf(next));
        return command.deepCopy();
    }

    public synchronized List<ObjectNode> list(Long guildId) {
        return deepCopies(byScope.getOrDefault(guildId == null ? GLOBAL : guildId, List.of()));
    }

    /** The command an interaction named {@code name} refers to: guild commands shadow global ones. */
    public synchronized Optional<ObjectNode> find(long guildId, String name) {
        for (long scope : new long[] {guildId, GLOBAL}) {
            for (ObjectNode c : byScope.getOrDefault(scope, List.of())) {
                if (c.path("type").asInt(1) == 1 && c.path("name").asText().equals(name)) {
                    return Optional.of(c.deepCopy());
                }
            }
        }
        return Optional.empty();
    }

    public long overwriteCount() {
        return overwrites.get();
    }

    private ObjectNode toStored(JsonNode input, long scope, List<ObjectNode> previous) {
        ObjectNode command = ((ObjectNode) input).deepCopy();
        int type = command.path("type").asInt(1);
        command.put("type", type);
        String id = previous.stream()
                .filter(p -> p.path("type").asInt(1) == type
                        && p.path("name").asText().equals(command.path("name").asText()))
                .map(p -> p.path("id").asText())
                .findFirst()
                .orElseGet(() -> EntityJson.id(Snowflake.next()));
        command.put("id", id);
        command.put("application_id", EntityJson.id(applicationId));
        command.put("version", EntityJson.id(Snowflake.next()));
        if (scope != GLOBAL) {
            command.put("guild_id", EntityJson.id(scope));
        }
        if (!command.has("description")) {
            command.put("description", "");
        }
        if (!command.has("default_member_permissions")) {
            command.putNull("default_member_permissions");
        }
        if (!command.has("nsfw")) {
            command.put("nsfw", false);
        }
        if (!command.has("integration_types")) {
            command.set("integration_types", Json.array().add(0));
        }
        return command;
    }

    private static boolean sameCommand(ObjectNode a, ObjectNode b) {
        return a.path("type").asInt(1) == b.path("type").asInt(1)
                && a.path("name").asText().equals(b.path("name").asText());
    }

    private static List<ObjectNode> deepCopies(List<ObjectNode> list) {
        return list.stream().map(ObjectNode::deepCopy).toList();
    }
}
