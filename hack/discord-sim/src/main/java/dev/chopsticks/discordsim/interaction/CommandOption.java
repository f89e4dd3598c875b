package dev.chopsticks.discordsim.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.chopsticks.discordsim.json.Json;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * One option of an invoked slash command, in Discord's application command interaction data shape.
 * Subcommands (type 1) and groups (type 2) carry nested options instead of a value.
 */
public record CommandOption(String name, int type, JsonNode value, List<CommandOption> options) {
    public static final int SUB_COMMAND = 1;
    public static final int SUB_COMMAND_GROUP = 2;
    public static final int STRING = 3;
    public static final int INTEGER = 4;
    public static final int BOOLEAN = 5;
    public static final int USER = 6;
    public static final int CHANNEL = 7;
    public static final int ROLE = 8;
    public static final int NUMBER = 10;

    public CommandOption {
        options = options == null ? List.of() : List.copyOf(options);
    }

    public static CommandOption string(String name, String value) {
        return new CommandOption(name, STRING, TextNode.valueOf(value), List.of());
    }

    public static CommandOption integer(String name, long value) {
        return new CommandOption(name, INTEGER, LongNode.valueOf(value), List.of());
    }

    public static CommandOption bool(String name, boolean value) {
        return new CommandOption(name, BOOLEAN, BooleanNode.valueOf(value), List.of());
    }

    public static CommandOption number(String name, double value) {
        return new CommandOption(name, NUMBER, DoubleNode.valueOf(value), List.of());
    }

    /** A user option; the simulator adds the matching {@code resolved.users}/{@code members} entries. */
    public static CommandOption user(String name, long userId) {
        return new CommandOption(name, USER, TextNode.valueOf(Long.toUnsignedString(userId)), List.of());
    }

    public static CommandOption channel(String name, long channelId) {
        return new CommandOption(name, CHANNEL, TextNode.valueOf(Long.toUnsignedString(channelId)), List.of());
    }

    public static CommandOption role(String name, long roleId) {
        return new CommandOption(name, ROLE, TextNode.valueOf(Long.toUnsignedString(roleId)), List.of());
    }

    public static CommandOption subcommand(String name, CommandOption... options) {
        return new CommandOption(name, SUB_COMMAND, null, List.of(options));
    }

    public static CommandOption group(String name, CommandOption... subcommands) {
        return new CommandOption(name, SUB_COMMAND_GROUP, null, List.of(subcommands));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("name", name).put("type", type);
        if (type == SUB_COMMAND || type == SUB_COMMAND_GROUP) {
            ArrayNode nested = o.putArray("options");
            options.forEach(opt -> nested.add(opt.toJson()));
        } else {
            o.set("value", value);
        }
        return o;
    }

    /** Parses the Discord shape back (the control API accepts options as Discord sends them). */
    public static CommandOption fromJson(JsonNode o) {
        List<CommandOption> nested = o.path("options").isArray()
                ? StreamSupport.stream(o.get("options").spliterator(), false)
                        .map(CommandOption::fromJson)
                        .toList()
                : List.of();
        return new CommandOption(o.path("name").asText(), o.path("type").asInt(STRING), o.get("value"), nested);
    }
}
