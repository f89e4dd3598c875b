package dev.chopsticks.bot;

import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.lifecycle.ShutdownWatchdog;
import dev.chopsticks.bot.local.LocalMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run}: the bot process until SIGTERM, then a graceful stop within {@code SHUTDOWN_GRACE_SECONDS}.
 * {@code run --simulator [--shards N]} (or {@code local}) runs the whole bot on one machine: see {@link LocalMode}.
 */
final class RunCommand {
    private RunCommand() {}

    static int run(EnvReader env, String[] args) throws Exception {
        if (List.of(args).contains("--simulator")) {
            return LocalMode.run(env, args);
        }
        if (args.length > 0) {
            System.err.println("usage: bot-runtime run [--simulator [--shards N]]");
            return 2;
        }
        BotConfig config = BotConfig.fromEnv(env);
        LogLevels.apply(config.logLevel());
        BotApplication app = BotApplication.start(config, BotApplication.Tuning.defaults());
        awaitTermination(app, config.lifecycle().shutdownGrace());
        return 0;
    }

    /** Blocks until SIGTERM/SIGINT, then stops the application (bounded by the grace period). */
    static void awaitTermination(AutoCloseable app, Duration grace) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            ShutdownWatchdog.run(
                                    () -> {
                                        try {
                                            app.close();
                                        } catch (Exception e) {
                                            System.err.println("shutdown failed: " + e);
                                        }
                                    },
                                    grace);
                            stopped.countDown();
                        },
                        "bot-shutdown"));
        stopped.await();
    }
}
