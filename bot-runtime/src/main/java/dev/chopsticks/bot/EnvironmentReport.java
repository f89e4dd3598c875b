package dev.chopsticks.bot;

import dev.chopsticks.bot.config.EnvReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start-up line naming the variables a subcommand knows (looked up, set or not; never a value). It answers "does
 * the bot read the variable I set?" for a user, and the operator/bot contract test (PodContractIT) compares it with
 * the variables the operator renders for each pod kind.
 */
final class EnvironmentReport {
    static final String PREFIX = "environment variables known: ";
    private static final Logger log = LoggerFactory.getLogger(EnvironmentReport.class);

    private EnvironmentReport() {}

    static void log(String subcommand, EnvReader env) {
        log.info("{}{} ({})", PREFIX, String.join(",", env.namesRead()), subcommand);
    }
}
