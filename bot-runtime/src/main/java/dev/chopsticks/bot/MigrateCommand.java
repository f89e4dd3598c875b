package dev.chopsticks.bot;

import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.PostgresConfig;
import dev.chopsticks.bot.data.Migrations;

/** {@code migrate}: applies Flyway migrations. Point POSTGRES_URL at PostgreSQL directly, not PgBouncer. */
final class MigrateCommand {
    private MigrateCommand() {}

    static int run(EnvReader env, String[] args) {
        LogLevels.apply(BotConfig.logLevel(env));
        PostgresConfig postgres = PostgresConfig.fromEnv(env);
        EnvironmentReport.log("migrate", env);
        Migrations.migrate(postgres);
        return 0;
    }
}
