package dev.chopsticks.bot.commands;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.data.DataLayer;
import dev.chopsticks.bot.external.GithubClient;
import dev.chopsticks.bot.external.WeatherClient;
import dev.chopsticks.bot.external.WikiClient;
import java.util.Map;
import java.util.function.Supplier;

/** The bot's command set, registered by name. */
public final class BotCommands {
    private BotCommands() {
    }

    public static CommandRegistry create(DataLayer data, WeatherClient weather, GithubClient github, WikiClient wiki,
                                         ModLog modLog, Supplier<Map<String, String>> breakerStates) {
        CommandRegistry registry = new CommandRegistry();
        Supplier<Map<String, CacheStats>> caches = () -> Map.of(
                "guild", data.guildConfig().stats(), "user", data.userData().stats());
        return registry
                .register(new PingCommand())
                .register(new ConfigCommand(data.guildConfig()))
                .register(new WelcomeCommand(data.guildConfig()))
                .register(new WarnCommand(data.moderationCases(), data.guildConfig(), modLog))
                .register(new CasesCommand(data.moderationCases()))
                .register(new BalanceCommand(data.userData()))
                .register(new DailyCommand(data.userData()))
                .register(new PayCommand(data.userData()))
                .register(new WeatherCommand(weather))
                .register(new GithubCommand(github))
                .register(new WikiCommand(wiki))
                .register(new StatsCommand(caches, breakerStates))
                .register(new HelpCommand(() -> registry));
    }
}
