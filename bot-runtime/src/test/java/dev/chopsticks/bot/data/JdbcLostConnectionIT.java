package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bot's pool through real PgBouncer when PostgreSQL kills the backend under a unit of work (what every pooled
 * connection sees when its PgBouncer pod or PostgreSQL goes away). Found by the kind tier: a PgBouncer pod deleted under
 * load failed one /daily with "Storage unavailable" at the moment the pod was finally killed.
 */
@ExtendWith(RealServices.class)
class JdbcLostConnectionIT {
    private final PostgresProcess postgres;
    private final PgBouncerProcess pgBouncer;
    private HikariDataSource pool;
    private Jdbc jdbc;

    JdbcLostConnectionIT(PostgresProcess postgres, PgBouncerProcess pgBouncer) {
        this.postgres = postgres;
        this.pgBouncer = pgBouncer;
    }

    @BeforeEach
    void start() throws SQLException {
        try (Connection c = postgres.superuser(PostgresProcess.DATABASE);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jdbc_lost_probe (id bigint PRIMARY KEY)");
            s.execute("GRANT ALL ON jdbc_lost_probe TO " + PostgresProcess.USER);
        }
        pool = DataSourceFactory.create(SharedServices.postgresConfig(pgBouncer.postgresUrl()), "lost", null);
        jdbc = new Jdbc(pool);
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @Test
    void aReadWhoseBackendIsKilledIsAnsweredOnAFreshConnection() {
        AtomicInteger attempts = new AtomicInteger();
        long answer = jdbc.read("probe read", c -> {
            if (attempts.getAndIncrement() == 0) {
                killOwnBackend(c);
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT 42")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(answer).isEqualTo(42);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aTransactionThatLostItsConnectionBeforeCommitRunsAgainAndIsAppliedOnce() throws SQLException {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        AtomicInteger attempts = new AtomicInteger();
        jdbc.inTransaction("probe write", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_lost_probe (id) VALUES (?)")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            if (attempts.getAndIncrement() == 0) {
                killOwnBackend(c); // after the INSERT, before COMMIT: the server rolls it back
            }
            return null;
        });
        assertThat(attempts).hasValue(2);
        assertThat(rowsWith(id))
                .as("the first attempt rolled back, the second committed")
                .isEqualTo(1);
    }

    @Test
    void anErrorOfTheStatementItselfIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> jdbc.inTransaction("probe bad sql", c -> {
                    attempts.incrementAndGet();
                    return c.createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
                }))
                .isInstanceOf(DataUnavailableException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aConnectionLostTwiceInARowGivesUpWithTheOperationNamed() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> jdbc.read("probe unlucky read", c -> {
                    attempts.incrementAndGet();
                    killOwnBackend(c);
                    return c.createStatement().executeQuery("SELECT 1");
                }))
                .isInstanceOf(DataUnavailableException.class)
                .hasMessageContaining("probe unlucky read");
        assertThat(attempts).hasValue(2);
    }

    /** PostgreSQL terminates the backend serving {@code c} (SQLSTATE 57P01 reaches the bot through PgBouncer). */
    private static void killOwnBackend(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pg_backend_pid())");
        }
    }

    private long rowsWith(long id) throws SQLException {
        try (Connection c = postgres.superuser(PostgresProcess.DATABASE);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM jdbc_lost_probe WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
