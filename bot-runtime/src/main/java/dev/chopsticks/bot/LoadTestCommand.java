package dev.chopsticks.bot;

import dev.chopsticks.bot.config.EnvReader;

/** {@code loadtest}: placeholder. */
final class LoadTestCommand {
    private LoadTestCommand() {
    }

    static int run(EnvReader env, String[] args) {
        return 1;
    }
}
