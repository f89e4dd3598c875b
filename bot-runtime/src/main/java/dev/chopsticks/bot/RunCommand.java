package dev.chopsticks.bot;

import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import java.util.concurrent.CountDownLatch;

/** {@code run}: the bot process until SIGTERM, then a graceful stop (flushes command stats). */
final class RunCommand {
    private RunCommand() {
    }

    static int run(EnvReader env, String[] args) throws InterruptedException {
        BotConfig config = BotConfig.fromEnv(env);
        LogLevels.apply(config.logLevel());
        BotApplication app = BotApplication.start(config, BotApplication.Tuning.defaults());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "bot-shutdown"));
        stopped.await();
        return 0;
    }
}
