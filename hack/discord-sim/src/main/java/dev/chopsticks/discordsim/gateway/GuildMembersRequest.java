package dev.chopsticks.discordsim.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.SimGuild;
import dev.chopsticks.discordsim.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** op 8 REQUEST_GUILD_MEMBERS: one GUILD_MEMBERS_CHUNK for each requested guild the session holds. */
final class GuildMembersRequest {
    private GuildMembersRequest() {}

    static void answer(World world, GatewaySession s, JsonNode d) {
        JsonNode ids = d.path("guild_id");
        List<JsonNode> guildIds = new ArrayList<>();
        if (ids.isArray()) {
            ids.forEach(guildIds::add);
        } else {
            guildIds.add(ids);
        }
        for (JsonNode idNode : guildIds) {
            long guildId;
            try {
                guildId = Long.parseUnsignedLong(idNode.asText());
            } catch (NumberFormatException e) {
                continue;
            }
            Optional<SimGuild> guild = world.guild(guildId).filter(g -> s.holdsGuild(g.id()));
            if (guild.isPresent()) {
                s.dispatch("GUILD_MEMBERS_CHUNK", Json.write(chunk(guild.get(), d)));
            }
        }
    }

    private static ObjectNode chunk(SimGuild guild, JsonNode request) {
        ObjectNode chunk = Json.object()
                .put("guild_id", EntityJson.id(guild.id()))
                .put("chunk_index", 0)
                .put("chunk_count", 1);
        ArrayNode members = chunk.putArray("members");
        String query = request.path("query").asText("");
        guild.members().stream()
                .filter(m -> m.user().username().startsWith(query))
                .filter(m -> !request.path("user_ids").isArray()
                        || containsId(request.get("user_ids"), m.user().id()))
                .forEach(m -> members.add(EntityJson.member(m, true)));
        chunk.putArray("not_found");
        if (request.hasNonNull("nonce")) {
            chunk.put("nonce", request.get("nonce").asText());
        }
        return chunk;
    }

    private static boolean containsId(JsonNode ids, long id) {
        for (JsonNode n : ids) {
            if (n.asText().equals(Long.toUnsignedString(id))) {
                return true;
            }
        }
        return false;
    }
}
