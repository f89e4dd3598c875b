package dev.chopsticks.bot.commands.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.commands.CommandDefinitions;
import dev.chopsticks.bot.commands.CommandOptions;
import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.UserRef;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import org.junit.jupiter.api.Test;

/** Handler paths that need neither JDA nor a database: validation, permissions, rendering, definitions. */
class CommandHandlersTest {
    private static final UserRef ALICE = new UserRef(10, "alice");

    private static CommandRequest request(
            String name, String sub, Map<String, Object> options, boolean manage, boolean moderate) {
        return new CommandRequest(
                name, sub, new CommandOptions(options), 1, "Noodle Bar", 2, ALICE, manage, moderate, null);
    }

    @Test
    void configSetNeedsManageServer() {
        CommandReply r = new ConfigCommand(null).execute(request("config", "set", Map.of("prefix", "?"), false, false));
        assertThat(r.plainText()).contains("Manage Server");
    }

    @Test
    void configRejectsBadPrefixAndEmptySet() {
        ConfigCommand config = new ConfigCommand(null);
        assertThat(config.execute(request("config", "set", Map.of("prefix", "a b"), true, false))
                        .plainText())
                .contains("1-5 characters");
        assertThat(config.execute(request("config", "set", Map.of("language", "xx"), true, false))
                        .plainText())
                .contains("Language must be one of");
        assertThat(config.execute(request("config", "set", Map.of(), true, false))
                        .plainText())
                .contains("at least one");
    }

    @Test
    void moderationNeedsPermissionAndAReason() {
        WarnCommand warn = new WarnCommand(null, null, (c, n) -> {});
        assertThat(warn.execute(request("warn", null, Map.of("user", ALICE, "reason", "x"), false, false))
                        .plainText())
                .contains("Moderate Members");
        assertThat(warn.execute(request("warn", null, Map.of("user", ALICE, "reason", " "), false, true))
                        .plainText())
                .contains("reason must be");
        assertThat(new CasesCommand(null)
                        .execute(request("cases", null, Map.of(), false, false))
                        .plainText())
                .contains("Moderate Members");
    }

    @Test
    void payRejectsSelfAndOutOfRangeAmountsBeforeTouchingWallets() {
        PayCommand pay = new PayCommand(null);
        assertThat(pay.execute(request("pay", null, Map.of("user", ALICE, "amount", 5L), false, false))
                        .plainText())
                .contains("can't pay yourself");
        assertThat(pay.execute(request("pay", null, Map.of("user", new UserRef(11, "bob"), "amount", 0L), false, false))
                        .plainText())
                .contains("between 1 and");
    }

    @Test
    void externalCommandsValidateInputBeforeCallingOut() {
        assertThat(new GithubCommand(null)
                        .execute(request("github", null, Map.of("repo", "not a repo"), false, false))
                        .plainText())
                .contains("owner/name");
        assertThat(new WeatherCommand(null)
                        .execute(request("weather", null, Map.of("city", " "), false, false))
                        .plainText())
                .contains("place name");
        assertThat(new WikiCommand(null)
                        .execute(request("wiki", null, Map.of("query", "x".repeat(201)), false, false))
                        .plainText())
                .contains("max 200");
    }

    @Test
    void welcomeTemplateRendersEveryPlaceholder() {
        assertThat(WelcomeMessages.render("{user} {username} {server} #{memberCount}", "Noodle Bar", ALICE, 7))
                .isEqualTo("<@10> alice Noodle Bar #7");
    }

    @Test
    void definitionsCoverEveryRegisteredCommandWithValidJdaData() {
        CommandRegistry registry = BotCommands.create(null, null, null, null, null, null, null, Map::of, Map::of);
        List<CommandData> data = CommandDefinitions.of(registry);
        assertThat(data)
                .extracting(CommandData::getName)
                .containsExactly(
                        "ping", "config", "welcome", "warn", "cases", "balance", "daily", "pay", "weather", "github",
                        "wiki", "stats", "help");
        assertThat(registry.find("help")
                        .orElseThrow()
                        .execute(request("help", null, Map.of(), false, false))
                        .plainText())
                .contains("/ping", "/wiki");
    }
}
