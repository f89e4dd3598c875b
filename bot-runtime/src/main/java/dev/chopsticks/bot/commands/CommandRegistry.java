package dev.chopsticks.bot.commands;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Commands by name, in registration order. */
public final class CommandRegistry {
    private final Map<String, SlashCommand> byName = new LinkedHashMap<>();

    public CommandRegistry register(SlashCommand command) {
        if (byName.putIfAbsent(command.name(), command) != null) {
            throw new IllegalArgumentException("command registered twice: " + command.name());
        }
        return this;
    }

    public Optional<SlashCommand> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<SlashCommand> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
