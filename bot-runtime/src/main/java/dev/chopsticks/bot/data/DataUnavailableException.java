package dev.chopsticks.bot.data;

/** PostgreSQL could not be reached or the statement failed; the transaction was rolled back. */
public final class DataUnavailableException extends RuntimeException {
    public DataUnavailableException(String operation, Throwable cause) {
        super(operation + " failed: database unavailable", cause);
    }
}
