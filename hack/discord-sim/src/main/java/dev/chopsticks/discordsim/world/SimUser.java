package dev.chopsticks.discordsim.world;

/** A Discord user; {@code bot} marks the simulated application's bot user. */
public record SimUser(long id, String username, String globalName, boolean bot) {}
