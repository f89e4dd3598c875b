package dev.chopsticks.discordsim.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.HttpTestClient;
import dev.chopsticks.discordsim.HttpTestClient.Reply;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import dev.chopsticks.discordsim.world.SimGuild;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscordHttpApiTest {
    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(2_500).maxConcurrency(16).build());

    private static DiscordSimulator sim() {
        return SIM.simulator();
    }

    private static HttpTestClient api() {
        return new HttpTestClient(sim());
    }

    private static String app() {
        return Long.toUnsignedString(sim().world().applicationId());
    }

    @Test
    void gatewayBotReportsUrlRecommendedShardsAndSessionStartLimit() {
        Reply r = api().get("gateway/bot");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("url").asText()).isEqualTo(sim().gatewayUrl());
        assertThat(r.json().path("shards").asInt()).isEqualTo(3); // 2,500 guilds, one shard per 1,000
        JsonNode limit = r.json().path("session_start_limit");
        assertThat(limit.path("total").asInt()).isEqualTo(1_000);
        assertThat(limit.path("remaining").asInt()).isEqualTo(1_000);
        assertThat(limit.path("reset_after").asLong()).isPositive();
        assertThat(limit.path("max_concurrency").asInt()).isEqualTo(16);
        assertThat(api().call("GET", "gateway", null, false).json().path("url").asText())
                .isEqualTo(sim().gatewayUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bot wrong", "sim-bot-token", "Bot sim-bot-token-but-longer", "Bearer sim-bot-token"})
    void botRoutesNeedTheBotToken(String authorization) {
        Reply r = api().call("GET", "users/@me", null, authorization.isEmpty() ? null : authorization, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("message").asText()).isEqualTo("401: Unauthorized");
        assertThat(r.json().path("code").asInt()).isZero();
    }

    @Test
    void selfUserAndApplication() {
        assertThat(api().get("users/@me").json().path("bot").asBoolean()).isTrue();
        JsonNode application = api().get("applications/@me").json();
        assertThat(application.path("id").asText()).isEqualTo(app());
        assertThat(application.path("owner").path("id").asText()).isNotEmpty();
        assertThat(new HttpTestClient(sim().httpUrl() + "/api/v9/", sim().token())
                        .get("users/@me")
                        .status())
                .isEqualTo(200);
        assertThat(new HttpTestClient(sim().httpUrl() + "/api/", sim().token())
                        .get("users/@me")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void successfulResponsesCarryRateLimitHeaders() {
        Reply r = api().get("channels/"
                + Long.toUnsignedString(firstGuild().defaultTextChannel().id()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-RateLimit-Limit")).isEqualTo("50");
        assertThat(Integer.parseInt(r.header("X-RateLimit-Remaining"))).isBetween(0, 49);
        assertThat(Double.parseDouble(r.header("X-RateLimit-Reset-After"))).isBetween(0.0, 1.0);
        assertThat(Double.parseDouble(r.header("X-RateLimit-Reset"))).isGreaterThan(1.6e9);
        assertThat(r.header("X-RateLimit-Bucket")).isNotBlank();
    }

    @Test
    void bulkOverwriteStoresCommandsAndKeepsIdsOfUnchangedNames() {
        String body =
                "[{\"name\":\"ping\",\"description\":\"Ping\",\"type\":1},{\"name\":\"stats\",\"description\":\"Stats\"}]";
        Reply first = api().call("PUT", "applications/" + app() + "/commands", body, true);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json()).hasSize(2);
        String pingId = first.json().get(0).path("id").asText();
        assertThat(first.json().get(0).path("application_id").asText()).isEqualTo(app());

        Reply second = api().call(
                        "PUT",
                        "applications/" + app() + "/commands",
                        "[{\"name\":\"ping\",\"description\":\"Ping again\"},{\"name\":\"new\",\"description\":\"New\"}]",
                        true);
        assertThat(second.json().get(0).path("id").asText()).isEqualTo(pingId);
        assertThat(api().get("applications/" + app() + "/commands").json())
                .extracting(c -> c.path("name").asText())
                .containsExactly("ping", "new");
        assertThat(sim().commands(null)).hasSize(2);
    }

    @Test
    void guildCommandsAreStoredPerGuild() {
        String guild = Long.toUnsignedString(firstGuild().id());
        Reply r = api().call(
                        "PUT",
                        "applications/" + app() + "/guilds/" + guild + "/commands",
                        "[{\"name\":\"local\",\"description\":\"Only here\"}]",
                        true);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get(0).path("guild_id").asText()).isEqualTo(guild);
        assertThat(sim().commands(firstGuild().id())).hasSize(1);
        assertThat(api().call("PUT", "applications/" + app() + "/guilds/42/commands", "[]", true)
                        .json()
                        .path("code")
                        .asInt())
                .isEqualTo(50001);
    }

    @Test
    void invalidCommandsAreInvalidFormBodyWithFieldErrors() {
        Reply r = api().call(
                        "PUT",
                        "applications/" + app() + "/commands",
                        "[{\"name\":\"Bad Name\",\"description\":\"x\"},{\"description\":\"no name\"}]",
                        true);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asInt()).isEqualTo(50035);
        assertThat(r.json().path("message").asText()).isEqualTo("Invalid Form Body");
        assertThat(r.json().at("/errors/0/name/_errors/0/code").asText()).isEqualTo("APPLICATION_COMMAND_INVALID_NAME");
        assertThat(r.json().at("/errors/1/name/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1,", "\u0000", "{\"a\":}"})
    void malformedJsonIs50109(String body) {
        Reply r = api().call("PUT", "applications/" + app() + "/commands", body, true);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asInt()).isEqualTo(50109);
    }

    @Test
    void unknownEntitiesAreDiscordShaped404s() {
        Reply channel = api().get("channels/123");
        assertThat(channel.status()).isEqualTo(404);
        assertThat(channel.json().path("code").asInt()).isEqualTo(10003);
        assertThat(channel.json().path("message").asText()).isEqualTo("Unknown Channel");
        assertThat(api().get("guilds/123").json().path("code").asInt()).isEqualTo(10004);
        Reply route = api().get("no/such/route");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().path("message").asText()).isEqualTo("404: Not Found");
        Reply wrongMethod = api().call("DELETE", "users/@me", null, true);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().path("message").asText()).isEqualTo("405: Method Not Allowed");
        Reply notSnowflake = api().get("channels/abc");
        assertThat(notSnowflake.json().path("code").asInt()).isEqualTo(50035);
    }

    @Test
    void postingMessagesValidatesLikeDiscordAndStoresThem() {
        long channel = firstGuild().channels().get(2).id();
        String path = "channels/" + Long.toUnsignedString(channel) + "/messages";
        Reply ok = api().call("POST", path, "{\"content\":\"hello\"}", true);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("author").path("id").asText())
                .isEqualTo(Long.toUnsignedString(sim().world().bot().id()));
        assertThat(ok.json().path("channel_id").asText()).isEqualTo(Long.toUnsignedString(channel));
        assertThat(sim().messages(channel)).extracting(m -> m.content()).contains("hello");

        Reply embed = api().call("POST", path, "{\"embeds\":[{\"title\":\"t\",\"description\":\"d\"}]}", true);
        assertThat(embed.json().at("/embeds/0/type").asText())
                .as("Discord returns embeds with their type")
                .isEqualTo("rich");

        Reply empty = api().call("POST", path, "{\"content\":\"\"}", true);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("code").asInt()).isEqualTo(50006);

        Reply tooLong = api().call("POST", path, "{\"content\":\"" + "x".repeat(2_001) + "\"}", true);
        assertThat(tooLong.json().path("code").asInt()).isEqualTo(50035);
        assertThat(tooLong.json().at("/errors/content/_errors/0/code").asText()).isEqualTo("BASE_TYPE_MAX_LENGTH");

        String multipart =
                "--b\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\r\n{\"content\":\"from multipart\"}\r\n--b--\r\n";
        Reply mp = api().call("POST", path, multipart, "Bot " + sim().token(), "multipart/form-data; boundary=b");
        assertThat(mp.json().path("content").asText()).isEqualTo("from multipart");
    }

    @Test
    void guildAndChannelObjects() {
        SimGuild g = firstGuild();
        JsonNode guild = api().get("guilds/" + Long.toUnsignedString(g.id()) + "?with_counts=true")
                .json();
        assertThat(guild.path("name").asText()).isEqualTo(g.name());
        assertThat(guild.path("approximate_member_count").asInt()).isEqualTo(g.memberCount());
        assertThat(guild.path("roles").get(0).path("id").asText()).isEqualTo(Long.toUnsignedString(g.id()));
        JsonNode channel = api().get("channels/"
                        + Long.toUnsignedString(g.defaultTextChannel().id()))
                .json();
        assertThat(channel.path("type").asInt()).isZero();
        assertThat(channel.path("guild_id").asText()).isEqualTo(Long.toUnsignedString(g.id()));
    }

    @Test
    void exceedingTheGlobalLimitIs429WithRetryAfterAndGlobalHeaders() {
        try (DiscordSimulator limited =
                SimConfig.builder().guilds(1).globalRateLimit(5).start()) {
            HttpTestClient client = new HttpTestClient(limited);
            Reply last = null;
            for (int i = 0; i < 6; i++) {
                last = client.get("users/@me");
            }
            assertThat(last.status()).isEqualTo(429);
            assertThat(last.json().path("global").asBoolean()).isTrue();
            assertThat(last.json().path("retry_after").asDouble()).isBetween(0.0, 1.0);
            assertThat(last.header("Retry-After")).isEqualTo("1");
            assertThat(last.header("X-RateLimit-Global")).isEqualTo("true");
            assertThat(last.header("X-RateLimit-Scope")).isEqualTo("global");
            assertThat(last.header("Via")).isNotNull();
            assertThat(limited.stats().httpRateLimited()).isEqualTo(1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> client.get("users/@me").status() == 200);
        }
    }

    @Test
    void exceedingARouteBucketIs429ScopedToTheUser() {
        try (DiscordSimulator limited = SimConfig.builder()
                .guilds(1)
                .routeRateLimit(2)
                .routeRateWindow(Duration.ofSeconds(5))
                .start()) {
            HttpTestClient client = new HttpTestClient(limited);
            String channel = Long.toUnsignedString(limited.world()
                    .guilds()
                    .iterator()
                    .next()
                    .defaultTextChannel()
                    .id());
            assertThat(client.get("channels/" + channel).header("X-RateLimit-Remaining"))
                    .isEqualTo("1");
            assertThat(client.get("channels/" + channel).header("X-RateLimit-Remaining"))
                    .isEqualTo("0");
            Reply limitedReply = client.get("channels/" + channel);
            assertThat(limitedReply.status()).isEqualTo(429);
            assertThat(limitedReply.json().path("global").asBoolean()).isFalse();
            assertThat(limitedReply.header("X-RateLimit-Scope")).isEqualTo("user");
            assertThat(limitedReply.header("X-RateLimit-Global")).isNull();
            assertThat(client.get("users/@me").status())
                    .as("other buckets unaffected")
                    .isEqualTo(200);
        }
    }

    private static SimGuild firstGuild() {
        return sim().world().guilds().iterator().next();
    }
}
