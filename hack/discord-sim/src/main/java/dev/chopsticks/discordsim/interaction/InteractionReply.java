package dev.chopsticks.discordsim.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * One thing the bot sent in answer to an interaction.
 *
 * @param payload the request body the bot sent (for CALLBACK the whole {@code {type, data}} object)
 * @param at time since the interaction was injected
 */
public record InteractionReply(Kind kind, JsonNode payload, Duration at) {
    public enum Kind {
        CALLBACK,
        EDIT_ORIGINAL,
        FOLLOWUP,
        EDIT_FOLLOWUP
    }

    /** The message content this reply carries, or null. */
    public String content() {
        JsonNode body = kind == Kind.CALLBACK ? payload.path("data") : payload;
        JsonNode content = body.get("content");
        return content == null || content.isNull() ? null : content.asText();
    }
}
