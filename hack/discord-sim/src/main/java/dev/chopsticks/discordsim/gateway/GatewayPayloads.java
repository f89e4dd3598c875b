package dev.chopsticks.discordsim.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.World;

/** What the gateway sends, shaped as Discord documents it; {@link GatewayProtocol} decides when. */
final class GatewayPayloads {
    private static final String TRACE = "[\"[\\\"discord-sim\\\",{\\\"micros\\\":0}]\"]";

    static final String HEARTBEAT_ACK = "{\"op\":11,\"s\":null,\"t\":null,\"d\":null}";
    static final String RECONNECT = "{\"op\":7,\"s\":null,\"t\":null,\"d\":null}";
    /** op 9 with {@code d: false}: the session cannot be resumed, the client must identify again. */
    static final String INVALID_SESSION = "{\"op\":9,\"s\":null,\"t\":null,\"d\":false}";
    /** The RESUMED dispatch's data. */
    static final String RESUMED = "{\"_trace\":" + TRACE + "}";

    private GatewayPayloads() {}

    static String hello(long heartbeatIntervalMs) {
        return "{\"op\":10,\"s\":null,\"t\":null,\"d\":{\"heartbeat_interval\":" + heartbeatIntervalMs + ",\"_trace\":"
                + TRACE + "}}";
    }

    /** READY's data: the session, where to resume, and every guild of the shard as unavailable. */
    static ObjectNode ready(World world, GatewaySession s, String resumeGatewayUrl) {
        ObjectNode d = Json.object().put("v", 10);
        d.putObject("user_settings");
        d.set("user", EntityJson.selfUser(world.bot()));
        d.put("session_type", "normal");
        d.put("session_id", s.id());
        d.put("resume_gateway_url", resumeGatewayUrl);
        d.putArray("relationships");
        d.putArray("private_channels");
        d.putArray("presences");
        ArrayNode guilds = d.putArray("guilds");
        for (long guildId : world.guildIdsForShard(s.shardId(), s.shardCount())) {
            guilds.add(EntityJson.unavailableGuild(guildId));
        }
        d.putArray("guild_join_requests");
        d.putArray("geo_ordered_rtc_regions").add("simulated");
        d.putObject("auth");
        d.putObject("application")
                .put("id", EntityJson.id(world.applicationId()))
                .put("flags", 0);
        d.putArray("shard").add(s.shardId()).add(s.shardCount());
        d.putArray("_trace").add("[\"discord-sim\",{\"micros\":0}]");
        return d;
    }
}
