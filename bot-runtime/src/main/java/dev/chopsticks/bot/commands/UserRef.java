package dev.chopsticks.bot.commands;

/** A Discord user as the handlers need it. */
public record UserRef(long id, String name) {
    public String mention() {
        return "<@" + id + ">";
    }
}
