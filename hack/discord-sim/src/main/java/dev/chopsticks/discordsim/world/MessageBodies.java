package dev.chopsticks.discordsim.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.errors.DiscordApiException;
import dev.chopsticks.discordsim.errors.FormErrors;

/** Validation and application of message create/edit bodies, with Discord's limits and error codes. */
public final class MessageBodies {
    private static final int MAX_CONTENT = 2_000;
    private static final int MAX_EMBEDS = 10;
    /** Flags a client may set: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2. */
    private static final int SETTABLE_FLAGS = 4 | 64 | 4096 | 32768;

    private MessageBodies() {}

    public static void validateCreate(JsonNode body) {
        requireObject(body);
        validateFields(body);
        boolean hasContent = body.path("content").isTextual()
                && !body.get("content").asText().isEmpty();
        boolean hasOther = nonEmptyArray(body, "embeds")
                || nonEmptyArray(body, "components")
                || nonEmptyArray(body, "sticker_ids")
                || nonEmptyArray(body, "attachments")
                || body.path("poll").isObject();
        if (!hasContent && !hasOther) {
            throw DiscordApiException.emptyMessage();
        }
    }

    public static void validateEdit(JsonNode body) {
        requireObject(body);
        validateFields(body);
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw DiscordApiException.invalidFormBody(
                    new FormErrors().add("DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"));
        }
    }

    private static void validateFields(JsonNode body) {
        FormErrors errors = new FormErrors();
        JsonNode content = body.get("content");
        if (content != null && !content.isNull()) {
            if (!content.isTextual()) {
                errors.add("BASE_TYPE_STRING", "Must be a string.", "content");
            } else if (content.asText().length() > MAX_CONTENT) {
                errors.maxLength(MAX_CONTENT, "content");
            }
        }
        JsonNode embeds = body.get("embeds");
        if (embeds != null && !embeds.isNull()) {
            if (!embeds.isArray()) {
                errors.add("LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.", "embeds");
            } else if (embeds.size() > MAX_EMBEDS) {
                errors.maxLength(MAX_EMBEDS, "embeds");
            }
        }
        errors.throwIfAny();
    }

    private static boolean nonEmptyArray(JsonNode body, String field) {
        return body.path(field).isArray() && !body.get(field).isEmpty();
    }

    /** Copies the visible fields of a create/edit body onto a message object. */
    public static void apply(ObjectNode message, JsonNode body) {
        if (body.has("content")) {
            message.put(
                    "content",
                    body.get("content").isNull() ? "" : body.get("content").asText());
        }
        for (String field : new String[] {"embeds", "components", "attachments"}) {
            if (body.path(field).isArray()) {
                message.set(field, body.get(field).deepCopy());
            }
        }
        // Discord returns every embed with its type ("rich" for bot embeds); clients (JDA) require the field.
        for (JsonNode embed : message.path("embeds")) {
            if (embed instanceof ObjectNode o && !o.has("type")) {
                o.put("type", "rich");
            }
        }
        if (body.path("tts").isBoolean()) {
            message.put("tts", body.get("tts").asBoolean());
        }
        if (body.path("flags").isIntegralNumber()) {
            int kept = message.path("flags").asInt(0) & ~SETTABLE_FLAGS;
            message.put("flags", kept | (body.get("flags").asInt() & SETTABLE_FLAGS));
        }
        if (body.path("poll").isObject()) {
            message.set("poll", body.get("poll").deepCopy());
        }
    }
}
