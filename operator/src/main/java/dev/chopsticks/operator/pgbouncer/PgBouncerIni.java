package dev.chopsticks.operator.pgbouncer;

import dev.chopsticks.api.v1alpha1.PgBouncerSpec;
import dev.chopsticks.operator.common.PostgresConnection;

/**
 * pgbouncer.ini (in the ConfigMap) and the credential files (in the auth Secret). The [databases] section and the
 * userlist live in the Secret because they carry the server address and the password; pgbouncer.ini pulls the
 * former in with {@code %include}.
 */
public final class PgBouncerIni {
    public static final String CONFIG_MOUNT = "/etc/pgbouncer";
    public static final String AUTH_MOUNT = "/etc/pgbouncer-auth";
    public static final String INI = "pgbouncer.ini";
    public static final String DATABASES = "databases.ini";
    public static final String USERLIST = "userlist.txt";
    public static final String CONSOLE = "console.ini";
    /** pgbouncer >= 1.21 supports protocol-level prepared statements in transaction mode. */
    public static final int MAX_PREPARED_STATEMENTS = 200;

    private PgBouncerIni() {}

    public static String ini(PgBouncerSpec spec) {
        return """
        ;; Managed by chopsticks-operator: edits are reverted. Change spec.pgbouncer instead.
        %%include %s/%s

        [pgbouncer]
        listen_addr = 0.0.0.0
        listen_port = 5432
        unix_socket_dir =
        auth_type = scram-sha-256
        auth_file = %s/%s
        pool_mode = %s
        default_pool_size = %d
        max_db_connections = %d
        max_client_conn = %d
        server_reset_query = DISCARD ALL
        max_prepared_statements = %d
        ignore_startup_parameters = extra_float_digits,options
        %%include %s/%s
        """.formatted(
                        AUTH_MOUNT,
                        DATABASES,
                        AUTH_MOUNT,
                        USERLIST,
                        spec.poolMode().iniValue(),
                        spec.defaultPoolSize(),
                        spec.defaultPoolSize(),
                        spec.maxClientConn(),
                        MAX_PREPARED_STATEMENTS,
                        AUTH_MOUNT,
                        CONSOLE);
    }

    /** {@code [databases]}: the one database the bot uses, on the real server. */
    public static String databases(PostgresConnection pg) {
        return "[databases]\n" + quoteKey(pg.dbname()) + " = host=" + quoteValue(pg.host()) + " port=" + pg.port()
                + " dbname=" + quoteValue(pg.dbname()) + "\n";
    }

    /**
     * The end of {@code [pgbouncer]}: {@code stats_users}, so the bot's own user may run the console's read-only SHOW
     * commands (pools, stats, config) for metrics and checks. In the auth Secret, not the ConfigMap, because the user
     * name comes from the connection Secret. (A {@code [pgbouncer]} section in an included file is not honoured, so
     * this is included inside the main one.)
     */
    public static String console(PostgresConnection pg) {
        // stats_users is a bare comma-separated list: a name it cannot hold is left out rather than mis-read.
        return isBareName(pg.user())
                ? "stats_users = " + pg.user() + "\n"
                : ";; stats_users: the user name cannot be written unquoted, so no console user\n";
    }

    /**
     * userlist.txt with the plain password: pgbouncer then authenticates clients with SCRAM and logs in to the
     * server with the same credentials.
     */
    public static String userlist(PostgresConnection pg) {
        return "\"" + pg.user().replace("\"", "\"\"") + "\" \"" + pg.password().replace("\"", "\"\"") + "\"\n";
    }

    private static String quoteKey(String s) {
        return isBareName(s) ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static boolean isBareName(String s) {
        return s.matches("[A-Za-z0-9_.-]+");
    }

    private static String quoteValue(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
