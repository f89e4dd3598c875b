package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** PgBouncer pool_mode. Statement mode is left out: the bot uses multi-statement transactions. */
public enum PoolMode {
    @JsonProperty("transaction")
    TRANSACTION,
    @JsonProperty("session")
    SESSION;

    /** The value as written in pgbouncer.ini. */
    public String iniValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
