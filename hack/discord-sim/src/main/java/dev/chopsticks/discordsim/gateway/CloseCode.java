package dev.chopsticks.discordsim.gateway;

/**
 * Discord's gateway close event codes. {@code keepsSession} says whether the simulator keeps the session
 * resumable after closing with the code: 4007 and the fatal codes need a new session. 4009 keeps it: Discord's
 * "Sending Heartbeats" section tells a client whose connection went quiet to reconnect and resume, the close-code
 * table marks 4009 as one to reconnect after, and clients (discord.js) resume after it; only the table's prose
 * ("start a new one") says otherwise, and a client that does identify again after 4009 works either way.
 */
public enum CloseCode {
    UNKNOWN_ERROR(4000, "Unknown error.", true),
    UNKNOWN_OPCODE(4001, "Unknown opcode.", true),
    DECODE_ERROR(4002, "Decode error.", true),
    NOT_AUTHENTICATED(4003, "Not authenticated.", true),
    AUTHENTICATION_FAILED(4004, "Authentication failed.", false),
    ALREADY_AUTHENTICATED(4005, "Already authenticated.", true),
    INVALID_SEQ(4007, "Invalid seq.", false),
    RATE_LIMITED(4008, "Rate limited.", true),
    SESSION_TIMED_OUT(4009, "Session timed out.", true),
    INVALID_SHARD(4010, "Invalid shard.", false),
    SHARDING_REQUIRED(4011, "Sharding required.", false),
    INVALID_API_VERSION(4012, "Invalid API version.", false),
    INVALID_INTENTS(4013, "Invalid intent(s).", false),
    DISALLOWED_INTENTS(4014, "Disallowed intent(s).", false);

    private final int code;
    private final String reason;
    private final boolean keepsSession;

    CloseCode(int code, String reason, boolean keepsSession) {
        this.code = code;
        this.reason = reason;
        this.keepsSession = keepsSession;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public boolean keepsSession() {
        return keepsSession;
    }
}
