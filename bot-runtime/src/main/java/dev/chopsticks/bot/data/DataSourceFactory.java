package dev.chopsticks.bot.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.chopsticks.bot.config.PostgresConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** Builds the HikariCP pool; works both directly against PostgreSQL and through PgBouncer in transaction mode. */
public final class DataSourceFactory {
    private DataSourceFactory() {}

    public static HikariDataSource create(PostgresConfig config, String poolName, MeterRegistry meters) {
        HikariConfig hikari = hikariConfig(config, poolName);
        if (meters != null) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        return new HikariDataSource(hikari);
    }

    static HikariConfig hikariConfig(PostgresConfig config, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.jdbcUrl());
        config.user().ifPresent(hikari::setUsername);
        config.password().ifPresent(p -> hikari.setPassword(p.reveal()));
        hikari.setMaximumPoolSize(config.poolMax());
        hikari.setMinimumIdle(config.poolMin());
        // A write must fail fast with a clear reply when PostgreSQL is down, not hang for Hikari's default 30 s.
        hikari.setConnectionTimeout(Duration.ofSeconds(2).toMillis());
        hikari.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        // Start even if the database is down; readiness reports it instead.
        hikari.setInitializationFailTimeout(-1);
        // PgBouncer in transaction mode cannot keep server-side prepared statements across transactions.
        hikari.addDataSourceProperty("prepareThreshold", "0");
        hikari.addDataSourceProperty("connectTimeout", "3");
        hikari.addDataSourceProperty("socketTimeout", "10");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("ApplicationName", "chopsticks-" + poolName);
        // PostgreSQL's default, stated: Hikari otherwise detects it on the pool's first connection, and if that
        // connection dies during the check (a slow start under CPU pressure, PgBouncer restarting) it records -1 and
        // fails every later connection with "Transaction isolation level -1 not supported": a pool broken for the
        // life of the process (seen in the e2e rollouts).
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return hikari;
    }
}
