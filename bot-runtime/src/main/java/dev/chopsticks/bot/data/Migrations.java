package dev.chopsticks.bot.data;

import dev.chopsticks.bot.config.PostgresConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Flyway migrations from classpath:db/migration. Run directly against PostgreSQL, never through PgBouncer. */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    public static MigrateResult migrate(PostgresConfig config) {
        Flyway flyway = Flyway.configure()
                .dataSource(
                        config.jdbcUrl(),
                        config.user().orElse(null),
                        config.password().map(s -> s.reveal()).orElse(null))
                .locations("classpath:db/migration")
                .connectRetries(5)
                .load();
        MigrateResult result = flyway.migrate();
        log.info("migrations applied: {} (schema now at {})", result.migrationsExecuted, result.targetSchemaVersion);
        return result;
    }
}
