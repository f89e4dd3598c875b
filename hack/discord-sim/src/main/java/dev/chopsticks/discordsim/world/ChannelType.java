package dev.chopsticks.discordsim.world;

/** The channel types the simulated world uses, with Discord's numeric ids. */
public enum ChannelType {
    GUILD_TEXT(0),
    GUILD_VOICE(2),
    GUILD_CATEGORY(4);

    private final int id;

    ChannelType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean isText() {
        return this == GUILD_TEXT;
    }
}
