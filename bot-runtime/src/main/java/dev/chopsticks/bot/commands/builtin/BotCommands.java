package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.ModLog;
import dev.chopsticks.bot.data.GuildConfigStore;
import dev.chopsticks.bot.data.ModerationCaseRepository;
import dev.chopsticks.bot.data.UserDataStore;
import dev.chopsticks.bot.external.GithubClient;
import dev.chopsticks.bot.external.WeatherClient;
import dev.chopsticks.bot.external.WikiClient;
import java.util.Map;
import java.util.function.Supplier;

/** The bot's command set, registered by name. */
public final class BotCommands {
    private BotCommands() {}

    public static CommandRegistry create(
            GuildConfigStore guilds,
            UserDataStore users,
            ModerationCaseRepository cases,
            WeatherClient weather,
            GithubClient github,
            WikiClient wiki,
            ModLog modLog,
            Supplier<Map<String, CacheStats>> caches,
            Supplier<Map<String, String>> breakerStates) {
        CommandRegistry registry = new CommandRegistry();
        return registry.register(new PingCommand())
                .register(new ConfigCommand(guilds))
                .register(new WelcomeCommand(guilds))
                .register(new WarnCommand(cases, guilds, modLog))
                .register(new CasesCommand(cases))
                .register(new BalanceCommand(users))
                .register(new DailyCommand(users))
                .register(new PayCommand(users))
                .register(new WeatherCommand(weather))
                .register(new GithubCommand(github))
                .register(new WikiCommand(wiki))
                .register(new StatsCommand(caches, breakerStates))
                .register(new HelpCommand(() -> registry));
    }
}
