package dev.chopsticks.bot.config;

/** A bad environment value. The message is one line naming the variable and what is allowed, never the secret. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
