package dev.chopsticks.bot.external;

/** An upstream call failed (HTTP error, timeout, breaker open); {@link #breakerOpen()} tells which case. */
public final class UpstreamException extends RuntimeException {
    private final String service;
    private final boolean breakerOpen;

    public UpstreamException(String service, String message, boolean breakerOpen, Throwable cause) {
        super(service + ": " + message, cause);
        this.service = service;
        this.breakerOpen = breakerOpen;
    }

    public String service() {
        return service;
    }

    public boolean breakerOpen() {
        return breakerOpen;
    }
}
