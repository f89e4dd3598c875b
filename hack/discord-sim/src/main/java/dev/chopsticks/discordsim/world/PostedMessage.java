package dev.chopsticks.discordsim.world;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A message that became visible in a channel, in its latest state.
 *
 * @param source who made it: the bot through REST, an interaction response or follow-up, or a simulated user
 * @param json the full Discord message object as returned to the API caller
 */
public record PostedMessage(
        long id, long channelId, long authorId, String content, Source source, Instant at, JsonNode json) {
    public enum Source {
        BOT_REST,
        INTERACTION_RESPONSE,
        INTERACTION_FOLLOWUP,
        USER
    }

    public boolean ephemeral() {
        return (json.path("flags").asInt(0) & 64) != 0;
    }
}
