package dev.chopsticks.bot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.bot.BotApplication;
import dev.chopsticks.bot.commands.InteractionTimeoutGuard;
import dev.chopsticks.bot.config.BotConfig;
import dev.chopsticks.bot.config.EnvReader;
import dev.chopsticks.bot.data.DataLayer;
import dev.chopsticks.bot.data.Json;
import dev.chopsticks.bot.external.BreakerSettings;
import dev.chopsticks.bot.external.FakeUpstream;
import dev.chopsticks.bot.gateway.Gateway;
import dev.chopsticks.bot.testinfra.SharedServices;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.CommandOption;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.InteractionReply;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.world.PostedMessage;
import dev.chopsticks.discordsim.world.SimGuild;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every command end to end: unmodified JDA (2 shards) against the Discord simulator, with the real data layer on
 * PostgreSQL behind PgBouncer (transaction mode) and Redis, and fake external APIs on loopback.
 */
class BotEndToEndIT {
    private static final int SHARDS = 2;
    private static final String ADMIN = "e2e-admin-token";
    private static final Duration REPLY = Duration.ofSeconds(15);

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(6)
            .membersPerGuild(3)
            .maxConcurrency(SHARDS)
            .build());

    private static final FakeUpstream UPSTREAM = new FakeUpstream();
    private static BotApplication app;

    @BeforeAll
    static void startBot() {
        DiscordSimulator sim = SIM.simulator();
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_URL", SharedServices.pgBouncer().postgresUrl());
        env.put("REDIS_URL", SharedServices.redis().url());
        env.put("DISCORD_TOKEN", sim.token());
        env.put("DISCORD_API_BASE_URL", sim.restBaseUrl());
        env.put("DISCORD_GATEWAY_URL", sim.gatewayUrl());
        env.put("SHARD_COUNT", Integer.toString(SHARDS));
        env.put("HTTP_PORT", "0");
        env.put("ADMIN_TOKEN", ADMIN);
        env.put("PG_POOL_MAX", "5");
        env.put("WEATHER_API_URL", UPSTREAM.uri().toString());
        env.put("GITHUB_API_URL", UPSTREAM.uri().toString());
        env.put("WIKI_API_URL", UPSTREAM.uri() + "/api/rest_v1");
        BotConfig config = BotConfig.fromEnv(new EnvReader(env));
        app = BotApplication.start(
                config,
                new BotApplication.Tuning(
                        BreakerSettings.guide(),
                        InteractionTimeoutGuard.DEFAULT_DEADLINE,
                        DataLayer.Tuning.defaults(),
                        Duration.ofHours(1)));
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Gateway.allConnected(app.shards())
                        && app.shards().getShards().size() == SHARDS);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sim.commands(null).size() == app.commands().all().size());
    }

    @AfterAll
    static void stopBot() {
        if (app != null) {
            app.close();
        }
        UPSTREAM.close();
    }

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private static SimGuild guild(int index) {
        return sim().world().guilds().stream()
                .sorted((a, b) -> Long.compare(a.id(), b.id()))
                .toList()
                .get(index);
    }

    /** The invoker by default is the guild's first human member (its owner: all permissions). */
    private static long member(SimGuild g, int humanIndex) {
        return g.members().get(1 + humanIndex).user().id();
    }

    private static InteractionOutcome invoke(SlashCommand command) {
        InteractionRef ref = sim().injectSlashCommand(command);
        InteractionOutcome outcome = sim().awaitReply(ref.id(), REPLY);
        assertThat(outcome.complete()).as("bot answered /%s", command.name()).isTrue();
        return outcome;
    }

    /** Everything visible in the final reply: content plus embed titles, descriptions and fields. */
    private static String text(InteractionOutcome outcome) {
        StringBuilder sb = new StringBuilder();
        List<InteractionReply> replies = outcome.replies();
        InteractionReply last = replies.get(replies.size() - 1);
        JsonNode body =
                last.kind() == InteractionReply.Kind.CALLBACK ? last.payload().path("data") : last.payload();
        sb.append(body.path("content").asText(""));
        for (JsonNode e : body.path("embeds")) {
            sb.append('\n')
                    .append(e.path("title").asText(""))
                    .append('\n')
                    .append(e.path("description").asText(""));
            for (JsonNode f : e.path("fields")) {
                sb.append('\n')
                        .append(f.path("name").asText())
                        .append(": ")
                        .append(f.path("value").asText());
            }
        }
        return sb.toString();
    }

    private static String run(SlashCommand command) {
        return text(invoke(command));
    }

    @Test
    void pingShowsLatenciesAndTheShard() {
        SimGuild g = guild(0);
        InteractionOutcome outcome = invoke(SlashCommand.of("ping", g.id()));
        // Answered within the deferral delay: one reply, no deferral.
        assertThat(outcome.callbackType()).isEqualTo(4);
        assertThat(text(outcome))
                .contains("Pong", "Gateway", "REST", "Shard: " + ((g.id() >> 22) % SHARDS) + " / " + SHARDS);
    }

    @Test
    void helpListsEveryCommandImmediately() {
        InteractionOutcome outcome = invoke(SlashCommand.of("help", guild(0).id()));
        assertThat(outcome.callbackType()).isEqualTo(4);
        assertThat(text(outcome))
                .contains(
                        "/ping",
                        "/config",
                        "/welcome",
                        "/warn",
                        "/cases",
                        "/balance",
                        "/daily",
                        "/pay",
                        "/weather",
                        "/github",
                        "/wiki",
                        "/stats",
                        "/help");
    }

    @Test
    void configSetThenViewFromAnotherShardsGuildData() {
        SimGuild g = guild(1);
        long general = g.defaultTextChannel().id();
        String saved = run(SlashCommand.of("config", g.id())
                .withOptions(CommandOption.subcommand(
                        "set",
                        CommandOption.string("prefix", "?!"),
                        CommandOption.string("language", "de"),
                        CommandOption.channel("modlog_channel", general))));
        assertThat(saved)
                .contains("Settings saved", "Prefix: `?!`", "Language: de", "Mod-log channel: <#" + general + ">");
        String view = run(SlashCommand.of("config", g.id()).withOptions(CommandOption.subcommand("view")));
        assertThat(view).contains("Server settings", "`?!`", "de");
        String bad = run(SlashCommand.of("config", g.id())
                .withOptions(CommandOption.subcommand("set", CommandOption.string("prefix", "toolong"))));
        assertThat(bad).contains("prefix must be 1-5 characters");
    }

    @Test
    void welcomeTemplateIsPostedWhenAMemberJoins() {
        SimGuild g = guild(2);
        long channel = g.systemChannelId();
        String saved = run(SlashCommand.of("welcome", g.id())
                .withOptions(
                        CommandOption.string("message", "Hi {user}, welcome to {server} ({username})!"),
                        CommandOption.channel("channel", channel)));
        assertThat(saved).contains("Welcome message saved", "Preview");
        long newcomer = sim().addMember(g.id(), "newcomer");
        await().atMost(REPLY)
                .untilAsserted(() -> assertThat(sim().messages(channel))
                        .filteredOn(m -> m.source() == PostedMessage.Source.BOT_REST)
                        .extracting(PostedMessage::content)
                        .contains("Hi <@" + newcomer + ">, welcome to " + g.name() + " (newcomer)!"));
    }

    @Test
    void warnCreatesCasesPostsToModLogAndCasesListsThem() {
        SimGuild g = guild(3);
        long modLog = g.systemChannelId();
        run(SlashCommand.of("config", g.id())
                .withOptions(CommandOption.subcommand("set", CommandOption.channel("modlog_channel", modLog))));
        long target = member(g, 1);
        String first = run(SlashCommand.of("warn", g.id())
                .withOptions(CommandOption.user("user", target), CommandOption.string("reason", "spamming")));
        assertThat(first).contains("Case #1", "<@" + target + ">", "spamming");
        String second = run(SlashCommand.of("warn", g.id())
                .withOptions(CommandOption.user("user", target), CommandOption.string("reason", "again")));
        assertThat(second).contains("Case #2");
        await().atMost(REPLY)
                .untilAsserted(() -> assertThat(sim().messages(modLog))
                        .filteredOn(m -> m.source() == PostedMessage.Source.BOT_REST)
                        .extracting(m ->
                                m.json().path("embeds").path(0).path("title").asText())
                        .contains("⚠️ Case #1 — warning", "⚠️ Case #2 — warning"));
        String cases = run(SlashCommand.of("cases", g.id()).withOptions(CommandOption.user("user", target)));
        assertThat(cases).contains("#2 warn", "#1 warn", "again", "spamming");
        assertThat(cases.indexOf("#2 warn")).isLessThan(cases.indexOf("#1 warn"));
    }

    @Test
    void walletCommandsMoveCoinsConsistently() {
        SimGuild g = guild(4);
        long payer = member(g, 0);
        long payee = member(g, 1);
        assertThat(run(SlashCommand.of("daily", g.id()).byUser(payer))).contains("Daily claimed", "250");
        assertThat(run(SlashCommand.of("daily", g.id()).byUser(payer))).contains("Already claimed");
        assertThat(run(SlashCommand.of("pay", g.id())
                        .byUser(payer)
                        .withOptions(CommandOption.user("user", payee), CommandOption.integer("amount", 100))))
                .contains("Payment sent", "**150**");
        assertThat(run(SlashCommand.of("pay", g.id())
                        .byUser(payer)
                        .withOptions(CommandOption.user("user", payee), CommandOption.integer("amount", 1000))))
                .contains("Not enough coins", "150");
        assertThat(run(SlashCommand.of("balance", g.id()).byUser(payer)))
                .contains("<@" + payer + "> has **150** coins");
        assertThat(run(SlashCommand.of("balance", g.id()).byUser(payer).withOptions(CommandOption.user("user", payee))))
                .contains("<@" + payee + "> has **100** coins");
    }

    @Test
    void externalCommandsAnswerAndDegradeWhenTheUpstreamBreaks() {
        long guildId = guild(5).id();
        UPSTREAM.mode(FakeUpstream.Mode.OK).body(FakeUpstream.WTTR_BERLIN);
        assertThat(run(SlashCommand.of("weather", guildId).withOptions(CommandOption.string("city", "Berlin"))))
                .contains("Weather in Berlin, Germany", "Sunny");
        UPSTREAM.body(FakeUpstream.GITHUB_REPO);
        assertThat(run(SlashCommand.of("github", guildId).withOptions(CommandOption.string("repo", "octo/cat"))))
                .contains("octo/cat", "Stars: 1234");
        UPSTREAM.body(FakeUpstream.WIKI_SUMMARY);
        assertThat(run(SlashCommand.of("wiki", guildId).withOptions(CommandOption.string("query", "Chopsticks"))))
                .contains("equal-length sticks");
        assertThat(UPSTREAM.lastPath()).isEqualTo("/api/rest_v1/page/summary/Chopsticks");

        UPSTREAM.mode(FakeUpstream.Mode.FAIL);
        for (int i = 0; i < 5; i++) {
            assertThat(run(SlashCommand.of("wiki", guildId).withOptions(CommandOption.string("query", "X"))))
                    .contains("Wikipedia unavailable");
        }
        int hits = UPSTREAM.hits();
        assertThat(run(SlashCommand.of("wiki", guildId).withOptions(CommandOption.string("query", "X"))))
                .contains("not calling it");
        assertThat(UPSTREAM.hits()).isEqualTo(hits);
        assertThat(run(SlashCommand.of("stats", guildId)))
                .contains("Circuit breakers", "wiki: open", "weather: closed", "redis: closed", "Cache guild");
    }

    @Test
    void hangingUpstreamIsAcknowledgedAtOnceAndAnsweredWithTheTimeoutEmbed() {
        UPSTREAM.mode(FakeUpstream.Mode.HANG);
        try {
            InteractionOutcome outcome = invoke(
                    SlashCommand.of("github", guild(5).id()).withOptions(CommandOption.string("repo", "slow/repo")));
            // Deferred inside Discord's 3 s window, then the guide's embed instead of "This interaction failed".
            assertThat(outcome.callbackType()).isEqualTo(5);
            assertThat(outcome.firstResponse()).isLessThan(Duration.ofSeconds(3));
            assertThat(text(outcome)).contains("Taking longer than expected");
            assertThat(outcome.finalResponse()).isBetween(Duration.ofMillis(2500), Duration.ofMillis(4500));
        } finally {
            UPSTREAM.mode(FakeUpstream.Mode.OK);
        }
    }

    @Test
    void statusEndpointShowsShardsAndUsageIsFlushedInBatches() throws Exception {
        run(SlashCommand.of("help", guild(0).id()));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> status = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/api/internal/status"))
                        .header("Authorization", "Bearer " + ADMIN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(status.body());
        assertThat(doc.path("shards")).hasSize(SHARDS);
        assertThat(doc.at("/shards/0/status").asText()).isEqualTo("CONNECTED");
        assertThat(status.body()).doesNotContain(ADMIN, sim().token());
        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + app.httpPort() + "/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
        assertThat(ready.body()).contains("gateway");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long before = app.data().commandStats().usesOn("help", today);
        app.usageFlusher().flush();
        assertThat(app.data().commandStats().usesOn("help", today)).isGreaterThan(before);
    }
}
