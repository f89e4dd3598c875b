package dev.chopsticks.discordsim.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.HttpTestClient;
import dev.chopsticks.discordsim.HttpTestClient.Reply;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Seeded fuzzing of the HTTP API: only Discord-shaped client errors, never a 5xx. */
class HttpFuzzTest {
    private static final long SEED = 7_331L;
    private static final int REQUESTS = 300;
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    private static final String[] BODIES = {
        "",
        "{",
        "[]",
        "{}",
        "null",
        "42",
        "\"s\"",
        "{\"content\":\"hi\"}",
        "{\"content\":123}",
        "{\"type\":4,\"data\":{\"content\":\"x\"}}",
        "[{\"name\":\"ok\",\"description\":\"d\"}]",
        "[{\"name\":null}]",
        "{\"embeds\":\"no\"}",
        "{\"type\":\"4\"}",
        "\u0000\u0001",
        "[{\"name\":\"ok\",\"description\":\"d\",\"options\":[{\"type\":99}]}]",
    };

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(SimConfig.builder()
            .guilds(3)
            .globalRateLimit(1_000_000)
            .routeRateLimit(1_000_000)
            .build());

    @Test
    void randomRequestsGetDiscordShapedAnswers() {
        DiscordSimulator sim = SIM.simulator();
        String app = Long.toUnsignedString(sim.world().applicationId());
        String guild =
                Long.toUnsignedString(sim.world().guilds().iterator().next().id());
        String channel = Long.toUnsignedString(
                sim.world().guilds().iterator().next().defaultTextChannel().id());
        String[] ids = {app, guild, channel, "0", "abc", "-1", "99999999999999999999", "@me", "@original", "%20"};
        String[] paths = {
            "gateway",
            "gateway/bot",
            "users/@me",
            "applications/@me",
            "applications/{}/commands",
            "applications/{}/guilds/{}/commands",
            "interactions/{}/{}/callback",
            "webhooks/{}/{}",
            "webhooks/{}/{}/messages/@original",
            "webhooks/{}/{}/messages/{}",
            "channels/{}",
            "channels/{}/messages",
            "guilds/{}",
            "{}",
            "{}/{}",
        };
        Random random = new Random(SEED);
        HttpTestClient http = new HttpTestClient(sim);
        for (int i = 0; i < REQUESTS; i++) {
            String path = paths[random.nextInt(paths.length)];
            while (path.contains("{}")) {
                path = path.replaceFirst("\\{}", ids[random.nextInt(ids.length)]);
            }
            String method = METHODS[random.nextInt(METHODS.length)];
            String body = BODIES[random.nextInt(BODIES.length)];
            String auth = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> "Bot " + sim.token();
                default -> "Bot garbage";
            };
            String contentType = random.nextInt(5) == 0 ? "multipart/form-data; boundary=zz" : "application/json";
            Reply r = http.call(method, path, method.equals("GET") ? null : body, auth, contentType);
            String what = method + " " + path + " " + body;
            assertThat(r.status()).as(what).isBetween(200, 499);
            if (r.status() >= 400) {
                assertThat(r.json().path("code").isInt())
                        .as(what + " -> " + r.raw().body())
                        .isTrue();
                assertThat(r.json().path("message").isTextual()).as(what).isTrue();
            }
        }
    }
}
