package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.PostgresConfig;
import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.testinfra.PgBouncerProcess;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** The bot's pool against real PostgreSQL behind PgBouncer, when its very first connection dies while being set up. */
@ExtendWith(RealServices.class)
class DataSourceFactoryIT {

    /**
     * The first connection is real but dies when Hikari asks it for the default isolation level (what a connection
     * closed by a busy PgBouncer looks like). Before the fix every later connection failed with "Transaction
     * isolation level -1 not supported" for the life of the pool.
     */
    @Test
    void aPoolWhoseFirstConnectionDiesDuringSetupStillConnects(PgBouncerProcess pgBouncer) {
        PostgresConfig pg = PostgresConfig.fromEnv(new EnvReader(Map.of("POSTGRES_URL", pgBouncer.postgresUrl())));
        HikariConfig hikari = DataSourceFactory.hikariConfig(pg, "first-dies");
        PGSimpleDataSource real = new PGSimpleDataSource();
        real.setUrl(pg.jdbcUrl());
        pg.user().ifPresent(real::setUser);
        pg.password().ifPresent(p -> real.setPassword(p.reveal()));
        FirstConnectionDiesInSetup flaky = new FirstConnectionDiesInSetup(real);
        hikari.setJdbcUrl(null);
        hikari.setUsername(null);
        hikari.setPassword(null);
        hikari.getDataSourceProperties().clear();
        hikari.setDataSource(flaky);

        try (HikariDataSource pool = new HikariDataSource(hikari)) {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = pool.getConnection()) {
                    assertThat(c.createStatement().executeQuery("SELECT 1").next())
                            .isTrue();
                }
            });
            assertThat(flaky.opened.get())
                    .as("the first connection was the one that died")
                    .isGreaterThan(1);
        }
    }

    /** A DataSource whose first connection fails Hikari's isolation check as a closed connection (SQLSTATE 08003). */
    private static final class FirstConnectionDiesInSetup implements DataSource {
        private final DataSource real;
        final AtomicInteger opened = new AtomicInteger();

        FirstConnectionDiesInSetup(DataSource real) {
            this.real = real;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = real.getConnection();
            if (opened.incrementAndGet() > 1) {
                return c;
            }
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getTransactionIsolation")) {
                            c.close();
                            throw new SQLException("This connection has been closed.", "08003");
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
