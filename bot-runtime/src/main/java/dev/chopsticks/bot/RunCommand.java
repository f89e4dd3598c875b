package dev.chopsticks.bot;

import dev.chopsticks.bot.config.EnvReader;

/** {@code run}: placeholder until the HTTP server and gateway are wired. */
final class RunCommand {
    private RunCommand() {
    }

    static int run(EnvReader env, String[] args) {
        return 1;
    }
}
