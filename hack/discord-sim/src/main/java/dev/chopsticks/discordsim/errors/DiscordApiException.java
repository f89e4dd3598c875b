package dev.chopsticks.discordsim.errors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;

/**
 * An HTTP API failure rendered exactly like Discord's JSON error body. Outside {@code http} so that the stores
 * validating what a request carries (commands, interactions, messages) can fail without depending on the HTTP layer
 * that calls them.
 */
public final class DiscordApiException extends RuntimeException {
    private final int status;
    private final int code;
    private final transient ObjectNode errors;

    public DiscordApiException(int status, int code, String message, ObjectNode errors) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = errors;
    }

    public DiscordApiException(int status, int code, String message) {
        this(status, code, message, null);
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public ObjectNode body() {
        ObjectNode body = Json.object().put("message", getMessage()).put("code", code);
        if (errors != null) {
            body.set("errors", errors);
        }
        return body;
    }

    public static DiscordApiException unauthorized() {
        return new DiscordApiException(401, 0, "401: Unauthorized");
    }

    public static DiscordApiException notFound() {
        return new DiscordApiException(404, 0, "404: Not Found");
    }

    public static DiscordApiException unknownChannel() {
        return new DiscordApiException(404, 10003, "Unknown Channel");
    }

    public static DiscordApiException unknownGuild() {
        return new DiscordApiException(404, 10004, "Unknown Guild");
    }

    public static DiscordApiException unknownMessage() {
        return new DiscordApiException(404, 10008, "Unknown Message");
    }

    public static DiscordApiException unknownWebhook() {
        return new DiscordApiException(404, 10015, "Unknown Webhook");
    }

    public static DiscordApiException unknownApplication() {
        return new DiscordApiException(404, 10002, "Unknown Application");
    }

    public static DiscordApiException unknownInteraction() {
        return new DiscordApiException(404, 10062, "Unknown interaction");
    }

    public static DiscordApiException missingAccess() {
        return new DiscordApiException(403, 50001, "Missing Access");
    }

    public static DiscordApiException emptyMessage() {
        return new DiscordApiException(400, 50006, "Cannot send an empty message");
    }

    public static DiscordApiException alreadyAcknowledged() {
        return new DiscordApiException(400, 40060, "Interaction has already been acknowledged.");
    }

    public static DiscordApiException invalidJson() {
        return new DiscordApiException(400, 50109, "The request body contains invalid JSON.");
    }

    public static DiscordApiException invalidFormBody(FormErrors errors) {
        return new DiscordApiException(400, 50035, "Invalid Form Body", errors.toJson());
    }
}
