package dev.chopsticks.bot.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A shard's guilds as GUILD_CREATE would describe them now: the last GUILD_CREATE of each guild with the later
 * guild, channel, thread, role, emoji and sticker events folded in. It is what a successor's JDA needs to build its
 * cache without Discord sending the guilds again. Members are not kept (the bot caches none); the member count is.
 * Not thread-safe: one shard's dispatches arrive in order on one thread.
 */
final class GuildState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Long, ObjectNode> guilds = new LinkedHashMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private final Set<Long> removed = new HashSet<>();

    /** Loads what a predecessor saved. */
    void load(Map<Long, String> saved) {
        guilds.clear();
        saved.forEach((id, json) -> {
            try {
                guilds.put(id, (ObjectNode) JSON.readTree(json));
            } catch (JsonProcessingException | ClassCastException e) {
                // One unreadable guild is dropped, not the hand-off: JDA then lacks it until the next GUILD_CREATE.
            }
        });
    }

    void clear() {
        removed.addAll(guilds.keySet());
        guilds.clear();
        dirty.clear();
    }

    int size() {
        return guilds.size();
    }

    List<ObjectNode> all() {
        return new ArrayList<>(guilds.values());
    }

    /** Dispatches that only change what JDA caches: handing one to JDA twice does nothing a user sees. */
    private static final Set<String> CACHE_ONLY = Set.of(
            "GUILD_CREATE",
            "GUILD_UPDATE",
            "GUILD_DELETE",
            "CHANNEL_CREATE",
            "CHANNEL_UPDATE",
            "CHANNEL_DELETE",
            "THREAD_CREATE",
            "THREAD_UPDATE",
            "THREAD_DELETE",
            "GUILD_ROLE_CREATE",
            "GUILD_ROLE_UPDATE",
            "GUILD_ROLE_DELETE",
            "GUILD_EMOJIS_UPDATE",
            "GUILD_STICKERS_UPDATE");

    static boolean cacheOnly(String type) {
        return CACHE_ONLY.contains(type);
    }

    /** Folds one dispatch in; events that do not change a guild's GUILD_CREATE are ignored. */
    void apply(String type, JsonNode d) {
        if (d == null || !d.isObject()) {
            return;
        }
        // Guild events carry the guild as "id"; everything inside a guild names it "guild_id".
        long guildId =
                d.has("guild_id") ? d.path("guild_id").asLong() : d.path("id").asLong();
        switch (type) {
            case "GUILD_CREATE" -> {
                if (!d.path("unavailable").asBoolean(false)) {
                    put(guildId, ((ObjectNode) d).deepCopy());
                }
            }
            case "GUILD_UPDATE" -> with(guildId, g -> g.setAll(((ObjectNode) d).deepCopy()));
            case "GUILD_DELETE" -> {
                // unavailable = an outage: the guild stays ours and comes back with a GUILD_CREATE
                if (!d.path("unavailable").asBoolean(false) && guilds.remove(guildId) != null) {
                    dirty.remove(guildId);
                    removed.add(guildId);
                }
            }
            case "CHANNEL_CREATE", "CHANNEL_UPDATE" -> with(guildId, g -> upsert(g, "channels", d));
            case "CHANNEL_DELETE" ->
                with(guildId, g -> delete(g, "channels", d.path("id").asText()));
            case "THREAD_CREATE", "THREAD_UPDATE" -> with(guildId, g -> upsert(g, "threads", d));
            case "THREAD_DELETE" ->
                with(guildId, g -> delete(g, "threads", d.path("id").asText()));
            case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE" -> with(guildId, g -> upsert(g, "roles", d.path("role")));
            case "GUILD_ROLE_DELETE" ->
                with(guildId, g -> delete(g, "roles", d.path("role_id").asText()));
            case "GUILD_EMOJIS_UPDATE" ->
                with(guildId, g -> g.set("emojis", d.path("emojis").deepCopy()));
            case "GUILD_STICKERS_UPDATE" ->
                with(guildId, g -> g.set("stickers", d.path("stickers").deepCopy()));
            case "GUILD_MEMBER_ADD" ->
                with(guildId, g -> g.put("member_count", g.path("member_count").asInt() + 1));
            case "GUILD_MEMBER_REMOVE" ->
                with(
                        guildId,
                        g -> g.put(
                                "member_count",
                                Math.max(0, g.path("member_count").asInt() - 1)));
            default -> {}
        }
    }

    private void put(long guildId, ObjectNode guild) {
        guilds.put(guildId, guild);
        removed.remove(guildId);
        dirty.add(guildId);
    }

    private void with(long guildId, Consumer<ObjectNode> change) {
        ObjectNode g = guilds.get(guildId);
        if (g != null) {
            change.accept(g);
            dirty.add(guildId);
        }
    }

    private static void upsert(ObjectNode guild, String field, JsonNode item) {
        if (!item.isObject()) {
            return;
        }
        delete(guild, field, item.path("id").asText());
        JsonNode list = guild.get(field);
        ArrayNode array = list instanceof ArrayNode a ? a : guild.putArray(field);
        array.add(item.deepCopy());
    }

    private static void delete(ObjectNode guild, String field, String id) {
        if (guild.get(field) instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (array.get(i).path("id").asText().equals(id)) {
                    array.remove(i);
                }
            }
        }
    }

    /** The guilds changed since the last call, as JSON. */
    Map<Long, String> takeDirty() {
        Map<Long, String> out = new HashMap<>();
        for (long id : dirty) {
            ObjectNode g = guilds.get(id);
            if (g != null) {
                out.put(id, g.toString());
            }
        }
        dirty.clear();
        return out;
    }

    /** Every guild as JSON, for a full save; nothing is dirty after it. */
    Map<Long, String> takeAll() {
        dirty.addAll(guilds.keySet());
        return takeDirty();
    }

    /** The guilds removed since the last call. */
    Set<Long> takeRemoved() {
        Set<Long> out = new HashSet<>(removed);
        removed.clear();
        return out;
    }
}
