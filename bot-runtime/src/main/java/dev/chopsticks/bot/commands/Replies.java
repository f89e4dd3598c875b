package dev.chopsticks.bot.commands;

/** The standard answers shared by many commands. */
public final class Replies {
    /** The guide's wording for the interaction timeout guard. */
    public static final String TAKING_LONGER_TITLE = "⏳ Taking longer than expected";

    private Replies() {}

    public static CommandReply takingLonger() {
        return CommandReply.embed(Embed.of(
                TAKING_LONGER_TITLE,
                "This is taking longer than expected. Please try again in a moment.",
                Embed.YELLOW));
    }

    public static CommandReply error(String message) {
        return CommandReply.embed(Embed.of("❌ Error", message, Embed.RED));
    }

    public static CommandReply databaseUnavailable() {
        return CommandReply.embed(Embed.of(
                "⚠️ Storage unavailable",
                "I can't reach my database right now, so nothing was changed. Please try again shortly.",
                Embed.RED));
    }

    public static CommandReply busy() {
        return CommandReply.embed(Embed.of(
                "⚠️ Busy", "Too many changes to this at once; nothing was changed. Please try again.", Embed.YELLOW));
    }

    public static CommandReply guildOnly() {
        return error("This command only works in a server.");
    }

    public static CommandReply missingPermission(String permission) {
        return error("You need the **" + permission + "** permission to do that.");
    }

    /** Instant answer while an upstream's circuit breaker is open (or a call just failed). */
    public static CommandReply degraded(String service, boolean breakerOpen) {
        String why = breakerOpen
                ? service + " is having problems, so I'm not calling it for a little while."
                : "I couldn't get an answer from " + service + " just now.";
        return CommandReply.embed(
                Embed.of("🌩️ " + service + " unavailable", why + " Please try again later.", Embed.GREY));
    }
}
