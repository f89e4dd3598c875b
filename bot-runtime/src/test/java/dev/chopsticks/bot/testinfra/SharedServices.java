package dev.chopsticks.bot.testinfra;

import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.PostgresConfig;
import dev.chopsticks.bot.data.Migrations;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.util.Map;

/**
 * One PostgreSQL (migrated), one PgBouncer in transaction mode and one Redis per test JVM, started on first use.
 * Tests that kill or stop a service start their own instead of using these.
 */
public final class SharedServices {
    private static PostgresProcess postgres;
    private static PgBouncerProcess pgBouncer;
    private static RedisProcess redis;

    private SharedServices() {}

    public static synchronized PostgresProcess postgres() {
        if (postgres == null) {
            postgres = PostgresProcess.start();
            migrate(postgres);
        }
        return postgres;
    }

    public static synchronized PgBouncerProcess pgBouncer() {
        if (pgBouncer == null) {
            pgBouncer = PgBouncerProcess.start(postgres(), 10);
        }
        return pgBouncer;
    }

    public static synchronized RedisProcess redis() {
        if (redis == null) {
            redis = RedisProcess.start();
        }
        return redis;
    }

    /** Migrations run against PostgreSQL directly, as the guide requires. */
    public static void migrate(PostgresProcess pg) {
        Migrations.migrate(postgresConfig(pg.postgresUrl()));
    }

    public static PostgresConfig postgresConfig(String url) {
        return PostgresConfig.fromEnv(
                new EnvReader(Map.of("POSTGRES_URL", url, "PG_POOL_MAX", "8", "PG_POOL_MIN", "0")));
    }
}
