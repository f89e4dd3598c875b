package dev.chopsticks.discordsim.world;

/**
 * What the world looks like: how many guilds, how many members each, and who the bot is.
 *
 * @param guilds number of guilds the bot is in at start
 * @param membersPerGuild members besides the bot in each guild (the first is the owner)
 * @param userPool distinct non-bot users shared by the guilds
 * @param botName username of the bot user
 * @param applicationId id of the application (also the bot user's id, as for most real bots)
 */
public record WorldSpec(int guilds, int membersPerGuild, int userPool, String botName, long applicationId) {
    public static final long DEFAULT_APPLICATION_ID = Snowflake.of(100_000_000_000L, 0, 0, 1);

    public WorldSpec {
        if (guilds < 0 || membersPerGuild < 1 || userPool < 1) {
            throw new IllegalArgumentException("guilds >= 0, membersPerGuild >= 1 and userPool >= 1 are required");
        }
    }
}
