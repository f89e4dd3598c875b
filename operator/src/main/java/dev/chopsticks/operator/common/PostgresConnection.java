package dev.chopsticks.operator.common;

import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL connection read from the cluster's connection Secret (keys host, port, dbname, user, password).
 * Only the PgBouncer auth Secret is built from the values; every pod gets them through secretKeyRefs.
 * {@link #toString()} never prints the password.
 */
public record PostgresConnection(String host, int port, String dbname, String user, String password) {

    public static final String KEY_HOST = "host";
    public static final String KEY_PORT = "port";
    public static final String KEY_DBNAME = "dbname";
    public static final String KEY_USER = "user";
    public static final String KEY_PASSWORD = "password";
    public static final List<String> KEYS = List.of(KEY_HOST, KEY_PORT, KEY_DBNAME, KEY_USER, KEY_PASSWORD);

    /** Decoded Secret data to a connection; callers validate the keys first. */
    public static PostgresConnection fromDecoded(Map<String, String> data) {
        return new PostgresConnection(
                data.get(KEY_HOST),
                Integer.parseInt(data.get(KEY_PORT).trim()),
                data.get(KEY_DBNAME),
                data.get(KEY_USER),
                data.get(KEY_PASSWORD));
    }

    @Override
    public String toString() {
        return "PostgresConnection[host=" + host + ", port=" + port + ", dbname=" + dbname + ", user=" + user
                + ", password=<redacted>]";
    }
}
