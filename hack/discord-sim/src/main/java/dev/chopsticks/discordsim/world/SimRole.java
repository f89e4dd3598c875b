package dev.chopsticks.discordsim.world;

/** A guild role. The {@code @everyone} role shares its id with the guild, as on Discord. */
public record SimRole(long id, String name, long permissions, int position, int color, boolean hoist) {}
