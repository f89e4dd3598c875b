package dev.chopsticks.discordsim.world;

/** A guild channel; {@code parentId} is 0 for channels outside a category. */
public record SimChannel(long id, long guildId, ChannelType type, String name, int position, long parentId) {}
