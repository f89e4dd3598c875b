package dev.chopsticks.bot.commands;

import java.util.Map;
import java.util.Optional;

/** Slash command option values: String, Long, Boolean, {@link UserRef}, or a channel id (Long). */
public record CommandOptions(Map<String, Object> values) {
    public CommandOptions {
        values = Map.copyOf(values);
    }

    public static CommandOptions none() {
        return new CommandOptions(Map.of());
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name)).map(Object::toString);
    }

    public Optional<Long> number(String name) {
        return Optional.ofNullable(values.get(name))
                .map(v -> v instanceof Number n ? n.longValue() : Long.parseLong(v.toString()));
    }

    public Optional<UserRef> user(String name) {
        return Optional.ofNullable(values.get(name))
                .filter(UserRef.class::isInstance)
                .map(UserRef.class::cast);
    }

    /** Channel options are delivered as the channel id. */
    public Optional<Long> channel(String name) {
        return number(name);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
