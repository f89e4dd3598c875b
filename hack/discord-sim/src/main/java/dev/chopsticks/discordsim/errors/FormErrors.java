package dev.chopsticks.discordsim.errors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.json.Json;

/**
 * Collects field errors in Discord's nested {@code errors} shape:
 * {@code {"0":{"name":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}}}.
 */
public final class FormErrors {
    private final ObjectNode root = Json.object();
    private boolean empty = true;

    public FormErrors add(String code, String message, String... path) {
        ObjectNode node = root;
        for (String key : path) {
            node = node.has(key) ? (ObjectNode) node.get(key) : node.putObject(key);
        }
        var list = node.has("_errors") ? (ArrayNode) node.get("_errors") : node.putArray("_errors");
        list.addObject().put("code", code).put("message", message);
        empty = false;
        return this;
    }

    public FormErrors required(String... path) {
        return add("BASE_TYPE_REQUIRED", "This field is required", path);
    }

    public FormErrors maxLength(int max, String... path) {
        return add("BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.", path);
    }

    public boolean isEmpty() {
        return empty;
    }

    public void throwIfAny() {
        if (!empty) {
            throw DiscordApiException.invalidFormBody(this);
        }
    }

    ObjectNode toJson() {
        return root;
    }
}
