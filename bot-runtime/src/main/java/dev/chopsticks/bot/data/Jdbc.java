package dev.chopsticks.bot.data;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JDBC work with rollback on any failure, so nothing is half-written, and rides out a lost connection.
 *
 * <p>When the path to the database dies under a pooled connection (a PgBouncer pod deleted, PostgreSQL terminating
 * backends) the work is retried once on a fresh connection, but only where that cannot apply it twice: reads, and
 * transactions that lost their connection before COMMIT was sent (the server rolls those back). A connection lost
 * during COMMIT is not retried: its outcome is unknown.
 */
public final class Jdbc {
    private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

    /** PostgreSQL's admin, crash and starting-up shutdowns: the backend is gone, the statement did not run. */
    private static final Set<String> BACKEND_GONE = Set.of("57P01", "57P02", "57P03");

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Read-only work, auto-committed; retried once on a lost connection. */
    public <T> T read(String operation, Work<T> work) {
        return withOneRetry(operation, () -> {
            Connection c = dataSource.getConnection();
            try (c) {
                return work.apply(c);
            } catch (SQLException e) {
                throw lostOr(e);
            }
        });
    }

    /**
     * Statements in one transaction; rolled back unless {@code work} returns normally, and run again once if the
     * connection was lost before COMMIT. {@code work} must therefore not have side effects outside the transaction.
     */
    public <T> T inTransaction(String operation, Work<T> work) {
        return withOneRetry(operation, () -> {
            Connection c = dataSource.getConnection();
            try (c) {
                try {
                    c.setAutoCommit(false);
                    T result;
                    try {
                        result = work.apply(c);
                    } catch (SQLException e) {
                        rollbackQuietly(c, e);
                        throw lostOr(e);
                    } catch (RuntimeException e) {
                        rollbackQuietly(c, e);
                        throw e;
                    }
                    try {
                        c.commit();
                    } catch (SQLException e) {
                        rollbackQuietly(c, e);
                        throw e; // never retried: the server may have committed
                    }
                    return result;
                } finally {
                    resetAutoCommit(c);
                }
            }
        });
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws SQLException;
    }

    private <T> T withOneRetry(String operation, Attempt<T> attempt) {
        try {
            try {
                return attempt.run();
            } catch (LostConnection lost) {
                // The other pooled connections most likely went the same way (one PgBouncer pod): replace them all.
                evictPooledConnections();
                log.warn(
                        "{}: the database connection was lost (SQLSTATE {}); retrying once on a fresh connection",
                        operation,
                        lost.sqlState());
                return attempt.run();
            }
        } catch (LostConnection lostAgain) {
            throw new DataUnavailableException(operation, lostAgain.getCause());
        } catch (SQLException e) {
            throw new DataUnavailableException(operation, e);
        }
    }

    /** Whether {@code e} says the connection (not the statement) failed. */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || BACKEND_GONE.contains(state));
    }

    private static RuntimeException lostOr(SQLException e) throws SQLException {
        if (connectionLost(e)) {
            return new LostConnection(e);
        }
        throw e;
    }

    private void evictPooledConnections() {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static void resetAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the pool discards broken connections on return
        }
    }

    /** Internal marker: the attempt failed because its connection died before anything could have been applied. */
    private static final class LostConnection extends RuntimeException {
        LostConnection(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        String sqlState() {
            return ((SQLException) getCause()).getSQLState();
        }
    }
}
