package dev.chopsticks.discordsim.identify;

/**
 * The bot token. Exhausting the session-start budget revokes it, as Discord resets the token; setting
 * a new budget through the control API restores it.
 */
public final class BotToken {
    private final String value;
    private volatile boolean revoked;

    public BotToken(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Accepts the bare token (IDENTIFY) or {@code "Bot <token>"} (HTTP Authorization). */
    public boolean accepts(String presented) {
        if (revoked || presented == null) {
            return false;
        }
        String bare = presented.startsWith("Bot ") ? presented.substring(4) : presented;
        return value.equals(bare);
    }

    /** HTTP {@code Authorization} header: bot tokens must carry the {@code Bot } prefix. */
    public boolean acceptsAuthorization(String header) {
        return header != null && header.startsWith("Bot ") && accepts(header);
    }

    public void revoke() {
        revoked = true;
    }

    public void restore() {
        revoked = false;
    }

    public boolean revoked() {
        return revoked;
    }
}
