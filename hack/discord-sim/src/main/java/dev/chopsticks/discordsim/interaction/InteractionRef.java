package dev.chopsticks.discordsim.interaction;

/**
 * An injected interaction: what the bot received, and how many sessions it was dispatched to (written to a socket,
 * or kept for the RESUME of a session without a connection).
 */
public record InteractionRef(long id, String token, long guildId, long channelId, long userId, int deliveredTo) {}
