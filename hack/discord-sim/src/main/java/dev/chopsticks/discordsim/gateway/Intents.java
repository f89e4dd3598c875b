package dev.chopsticks.discordsim.gateway;

import java.util.Map;

/** Gateway intents: which events a session receives and which bits are privileged. */
public final class Intents {
    public static final int GUILDS = 1;
    public static final int GUILD_MEMBERS = 1 << 1;
    public static final int GUILD_PRESENCES = 1 << 8;
    public static final int GUILD_MESSAGES = 1 << 9;
    public static final int MESSAGE_CONTENT = 1 << 15;
    public static final int PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
    /** Bits Discord defines today (up to DIRECT_MESSAGE_POLLS, 1 << 25); anything above is invalid. */
    public static final long KNOWN_MASK = (1L << 26) - 1;

    private static final Map<String, Integer> REQUIRED = Map.of(
            "GUILD_CREATE", GUILDS,
            "GUILD_UPDATE", GUILDS,
            "GUILD_DELETE", GUILDS,
            "GUILD_MEMBER_ADD", GUILD_MEMBERS,
            "GUILD_MEMBER_REMOVE", GUILD_MEMBERS,
            "GUILD_MEMBER_UPDATE", GUILD_MEMBERS,
            "MESSAGE_CREATE", GUILD_MESSAGES,
            "MESSAGE_UPDATE", GUILD_MESSAGES,
            "MESSAGE_DELETE", GUILD_MESSAGES);

    private Intents() {}

    /** The intent a guild event needs, or 0 when every session gets it (e.g. INTERACTION_CREATE). */
    public static int requiredFor(String event) {
        return REQUIRED.getOrDefault(event, 0);
    }
}
