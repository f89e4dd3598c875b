package dev.chopsticks.discordsim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.GatewayTestClient;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.junit.DiscordSimExtension;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Seeded fuzzing of the gateway: every frame ends in a documented close code or a live socket, never a crash. */
class GatewayFuzzTest {
    private static final long SEED = 20_260_401L;
    private static final int CASES = 150;
    private static final Set<Integer> DOCUMENTED =
            Set.of(4001, 4002, 4003, 4004, 4005, 4007, 4008, 4010, 4011, 4012, 4013, 4014);
    private static final String[] SEEDS = {
        "{\"op\":1,\"d\":null}",
        "{\"op\":2,\"d\":{\"token\":\"sim-bot-token\",\"properties\":{\"os\":\"l\",\"browser\":\"b\",\"device\":\"d\"},\"intents\":1,\"shard\":[0,2]}}",
        "{\"op\":6,\"d\":{\"token\":\"sim-bot-token\",\"session_id\":\"abc\",\"seq\":3}}",
        "{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}",
        "{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"status\":\"online\",\"afk\":false}}",
    };

    @RegisterExtension
    static final DiscordSimExtension SIM = DiscordSimExtension.with(
            SimConfig.builder().guilds(4).identifyWindow(Duration.ZERO).build());

    @Test
    void randomFramesNeverCrashTheGateway() {
        DiscordSimulator sim = SIM.simulator();
        Random random = new Random(SEED);
        int closed = 0;
        for (int i = 0; i < CASES; i++) {
            String frame = mutate(random);
            try (GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl())) {
                c.awaitOp(Opcode.HELLO);
                trySend(c, frame);
                trySend(c, "{\"op\":1,\"d\":null}");
                // Either the socket lives (the probe heartbeat is acknowledged) or it closed with a documented code.
                AtomicBoolean acked = new AtomicBoolean();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> {
                            c.drain()
                                    .forEach(n -> acked.compareAndSet(
                                            false, n.path("op").asInt() == Opcode.HEARTBEAT_ACK));
                            return acked.get() || c.closeFuture().isDone();
                        });
                JsonNode ack = acked.get() ? NullNode.getInstance() : null;
                if (ack == null) {
                    closed++;
                    assertThat(c.closeFuture().join().code())
                            .as("case %d: %s", i, frame)
                            .isIn(DOCUMENTED);
                }
            }
        }
        assertThat(closed).as("the fuzzer should provoke closes").isGreaterThan(CASES / 3);
        assertThat(sim.stats().closeCodesSent()).doesNotContainKey(4000);
        try (GatewayTestClient c = GatewayTestClient.connect(sim.gatewayUrl())) {
            c.awaitOp(Opcode.HELLO);
            c.identify(sim.token(), 0, 1, Intents.GUILDS);
            assertThat(c.awaitDispatch("READY").path("d").path("session_id").asText())
                    .isNotEmpty();
        }
    }

    private static void trySend(GatewayTestClient c, String frame) {
        try {
            c.send(frame);
        } catch (RuntimeException closedAlready) {
            // the previous frame got the socket closed; the close frame is what we assert on
        }
    }

    private static String mutate(Random random) {
        String base = SEEDS[random.nextInt(SEEDS.length)];
        StringBuilder s = new StringBuilder(base);
        switch (random.nextInt(8)) {
            case 0 -> { // flip characters
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    s.setCharAt(random.nextInt(s.length()), (char) (32 + random.nextInt(95)));
                }
            }
            case 1 -> s.setLength(random.nextInt(s.length())); // truncate
            case 2 -> s.insert(random.nextInt(s.length()), randomText(random, 1 + random.nextInt(20)));
            case 3 -> { // random op
                return base.replaceFirst("\"op\":\\d+", "\"op\":" + (random.nextInt(50) - 5));
            }
            case 4 -> { // d of the wrong type
                String[] ds = {"null", "[]", "\"x\"", "42", "true", "{}", "{\"token\":5}"};
                return base.replaceFirst("\"d\":.*}$", "\"d\":" + ds[random.nextInt(ds.length)] + "}");
            }
            case 5 -> { // deep nesting
                int depth = 500 + random.nextInt(1_500);
                return "{\"op\":1,\"d\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            }
            case 6 -> { // oversized
                return "{\"op\":1,\"d\":null,\"x\":\"" + "a".repeat(4_000 + random.nextInt(2_000)) + "\"}";
            }
            default -> {
                return randomText(random, random.nextInt(64));
            }
        }
        return s.toString();
    }

    private static String randomText(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < n; k++) {
            b.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
        }
        return b.toString();
    }
}
