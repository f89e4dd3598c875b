package dev.chopsticks.discordsim.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.errors.FormErrors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates application command payloads with Discord's documented limits and error codes. */
final class CommandValidator {
    private static final Pattern CHAT_INPUT_NAME =
            Pattern.compile("^[-_\\p{L}\\p{N}\\p{IsDevanagari}\\p{IsThai}]{1,32}$");
    private static final int MAX_CHAT_INPUT = 100;
    private static final int MAX_OPTIONS = 25;

    private CommandValidator() {}

    static void validateList(JsonNode body) {
        FormErrors errors = new FormErrors();
        if (!body.isArray()) {
            errors.add("LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.");
            errors.throwIfAny();
        }
        Set<String> seen = new HashSet<>();
        int chatInput = 0;
        for (int i = 0; i < body.size(); i++) {
            JsonNode command = body.get(i);
            String index = Integer.toString(i);
            validate(command, errors, index);
            int type = command.path("type").asInt(1);
            if (type == 1) {
                chatInput++;
            }
            String key = type + "/" + command.path("name").asText("");
            if (!seen.add(key)) {
                errors.add(
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        "Application command names must be unique",
                        index,
                        "name");
            }
        }
        if (chatInput > MAX_CHAT_INPUT) {
            errors.add("BASE_TYPE_MAX_LENGTH", "Must be " + MAX_CHAT_INPUT + " or fewer in length.");
        }
        errors.throwIfAny();
    }

    static void validateOne(JsonNode command) {
        FormErrors errors = new FormErrors();
        validate(command, errors);
        errors.throwIfAny();
    }

    private static void validate(JsonNode command, FormErrors errors, String... path) {
        if (!command.isObject()) {
            errors.add("DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType", path);
            return;
        }
        int type = command.path("type").asInt(1);
        if (type < 1 || type > 4) {
            errors.add("ENUM_TYPE_COERCE", "Value \"" + type + "\" is not a valid enum value.", append(path, "type"));
        }
        checkNameAndDescription(command, type == 1, errors, path);
        checkOptions(command.path("options"), errors, append(path, "options"));
    }

    private static void checkNameAndDescription(JsonNode node, boolean chatInput, FormErrors errors, String... path) {
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual()) {
            errors.required(append(path, "name"));
        } else if (chatInput
                && (!CHAT_INPUT_NAME.matcher(name.asText()).matches()
                        || !name.asText().equals(name.asText().toLowerCase()))) {
            errors.add("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid", append(path, "name"));
        } else if (name.asText().isEmpty() || name.asText().length() > 32) {
            errors.add("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.", append(path, "name"));
        }
        JsonNode description = node.get("description");
        if (chatInput) {
            if (description == null
                    || !description.isTextual()
                    || description.asText().isEmpty()) {
                errors.add("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.", append(path, "description"));
            } else if (description.asText().length() > 100) {
                errors.add("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.", append(path, "description"));
            }
        }
    }

    private static void checkOptions(JsonNode options, FormErrors errors, String... path) {
        if (options.isMissingNode() || options.isNull()) {
            return;
        }
        if (!options.isArray()) {
            errors.add("LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.", path);
            return;
        }
        if (options.size() > MAX_OPTIONS) {
            errors.maxLength(MAX_OPTIONS, path);
        }
        for (int i = 0; i < options.size(); i++) {
            JsonNode option = options.get(i);
            String[] here = append(path, Integer.toString(i));
            int type = option.path("type").asInt(0);
            if (type < 1 || type > 11) {
                errors.add(
                        "ENUM_TYPE_COERCE", "Value \"" + type + "\" is not a valid enum value.", append(here, "type"));
            }
            checkNameAndDescription(option, true, errors, here);
            if (type == 1 || type == 2) {
                checkOptions(option.path("options"), errors, append(here, "options"));
            }
        }
    }

    private static String[] append(String[] path, String key) {
        String[] out = Arrays.copyOf(path, path.length + 1);
        out[path.length] = key;
        return out;
    }
}
