package dev.chopsticks.bot;

import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.config.LoadTestConfig;
import dev.chopsticks.bot.loadtest.LoadTest;
import dev.chopsticks.bot.loadtest.LoadTestReport;

/** {@code loadtest}: DASHBOARD_URL, LOADTEST_DURATION, LOADTEST_CONNECTIONS, ADMIN_TOKEN; exits 1 on failure. */
final class LoadTestCommand {
    private LoadTestCommand() {}

    static int run(EnvReader env, String[] args) throws InterruptedException {
        LogLevels.apply(BotConfig.logLevel(env));
        LoadTestConfig config = LoadTestConfig.fromEnv(env);
        System.out.printf(
                "load test: %s for %ds with %d connections (/health + /api/internal/status)%n",
                config.dashboardUrl(), config.duration().toSeconds(), config.connections());
        LoadTestReport report = new LoadTest(config, System.out).run();
        System.out.println(report.summary());
        return report.passed() ? 0 : 1;
    }
}
