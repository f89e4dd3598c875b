package dev.chopsticks.bot;

import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.lifecycle.ShutdownWatchdog;

/** {@code run}: the bot process until SIGTERM, then a graceful stop within {@code SHUTDOWN_GRACE_SECONDS}. */
final class RunCommand {
    private RunCommand() {}

    static int run(EnvReader env, String[] args) throws Exception {
        if (args.length > 0) {
            System.err.println("usage: bot-runtime run");
            return 2;
        }
        BotConfig config = BotConfig.fromEnv(env);
        LogLevels.apply(config.logLevel());
        EnvironmentReport.log("run", env);
        BotApplication app = BotApplication.start(config, BotApplication.Tuning.defaults());
        ShutdownWatchdog.awaitSignalThenRun(
                () -> {
                    try {
                        app.close();
                    } catch (RuntimeException e) {
                        System.err.println("shutdown failed: " + e);
                    }
                },
                config.lifecycle().shutdownGrace());
        return 0;
    }
}
