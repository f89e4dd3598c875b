package dev.chopsticks.discordsim.identify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.gateway.Intents;
import dev.chopsticks.discordsim.gateway.Opcode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The max_concurrency identify rule and the session-start budget, over real sockets. */
class IdentifyRulesTest {
    @Test
    void aBurstOfIdentifiesYieldsOneViolationPerExtraIdentifyInEachBucket() {
        try (DiscordSimulator sim =
                SimConfig.builder().guilds(12).maxConcurrency(2).start()) {
            List<GatewayTestClient> clients = new ArrayList<>();
            try {
                for (int shard = 0; shard < 6; shard++) {
                    GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl());
                    c.awaitOp(Opcode.HELLO);
                    c.identify(sim.token(), shard, 6, Intents.GUILDS);
                    clients.add(c);
                }
                int ready = 0;
                int invalid = 0;
                for (GatewayTestClient c : clients) {
                    int op = c.await(
                                    n -> n.path("op").asInt() == Opcode.INVALID_SESSION
                                            || "READY".equals(n.path("t").asText()),
                                    Duration.ofSeconds(10))
                            .path("op")
                            .asInt();
                    if (op == Opcode.INVALID_SESSION) {
                        invalid++;
                    } else {
                        ready++;
                    }
                }
                // Shards 0,2,4 share bucket 0 and 1,3,5 bucket 1: one identify each may pass in a 5 s window.
                assertThat(ready).isEqualTo(2);
                assertThat(invalid).isEqualTo(4);
                IdentifyStats stats = sim.stats().identify();
                assertThat(stats.violations()).hasSize(4);
                assertThat(stats.violations())
                        .extracting(IdentifyViolation::shardId)
                        .containsExactlyInAnyOrder(2, 4, 3, 5);
                assertThat(stats.acceptedPerBucket()).containsEntry(0, 1L).containsEntry(1, 1L);
                assertThat(stats.maxAttemptsPerWindow()).containsEntry(0, 3).containsEntry(1, 3);
                assertThat(sim.stats().sessionStartLimit().remaining()).isEqualTo(998);
            } finally {
                clients.forEach(GatewayTestClient::close);
            }
        }
    }

    @Test
    void exhaustingTheBudgetEndsEverySessionWith4004AndResetsTheToken() throws Exception {
        try (DiscordSimulator sim = SimConfig.builder()
                .guilds(6)
                .sessionStartTotal(2)
                .identifyWindow(Duration.ZERO)
                .start()) {
            GatewayTestClient a = identified(sim, 0);
            GatewayTestClient b = identified(sim, 1);
            assertThat(sim.stats().sessionStartLimit().remaining()).isZero();
            try (GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl())) {
                c.awaitOp(Opcode.HELLO);
                c.identify(sim.token(), 2, 3, Intents.GUILDS);
                assertThat(c.awaitClose().code()).isEqualTo(4004);
                assertThat(a.awaitClose().code()).isEqualTo(4004);
                assertThat(b.awaitClose().code()).isEqualTo(4004);
            } finally {
                a.close();
                b.close();
            }
            assertThat(sim.stats().budgetExhaustions()).isEqualTo(1);
            assertThat(sim.stats().connectionsPerShard()).isEmpty();
            assertThat(getSelf(sim)).isEqualTo(401); // the token was reset

            sim.setSessionStartLimit(1_000, 1_000);
            assertThat(getSelf(sim)).isEqualTo(200);
            identified(sim, 2).close();
        }
    }

    private static GatewayTestClient identified(DiscordSimulator sim, int shard) {
        GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl());
        c.awaitOp(Opcode.HELLO);
        c.identify(sim.token(), shard, 3, Intents.GUILDS);
        c.awaitDispatch("READY");
        return c;
    }

    private static int getSelf(DiscordSimulator sim) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.restBaseUrl() + "users/@me"))
                .header("Authorization", "Bot " + sim.token())
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
