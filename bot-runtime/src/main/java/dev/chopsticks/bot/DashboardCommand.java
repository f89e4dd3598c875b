package dev.chopsticks.bot;

import dev.chopsticks.bot.config.DashboardConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.dashboard.DashboardApplication;
import dev.chopsticks.bot.lifecycle.ShutdownWatchdog;

/**
 * {@code dashboard}: the status process the operator runs for {@code spec.dashboard.enabled} (no gateway, no shards)
 * until SIGTERM, then a graceful stop within {@code SHUTDOWN_GRACE_SECONDS}.
 */
final class DashboardCommand {
    private DashboardCommand() {}

    static int run(EnvReader env, String[] args) throws Exception {
        if (args.length > 0) {
            System.err.println("usage: bot-runtime dashboard");
            return 2;
        }
        DashboardConfig config = DashboardConfig.fromEnv(env);
        LogLevels.apply(config.logLevel());
        EnvironmentReport.log("dashboard", env);
        DashboardApplication app = DashboardApplication.start(config);
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
