package dev.chopsticks.discordsim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.metrics.LatencySummary;
import dev.chopsticks.discordsim.world.EntityJson;
import dev.chopsticks.discordsim.world.SimGuild;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Throughput of the simulator on this machine, with clients in the same JVM (so the figures are a floor):
 * dispatched gateway events per second (plain JSON and zlib-stream), and injected interactions per second
 * answered by a trivial bot (JDK WebSocket client, keep-alive HTTP/1.1 poster) over the real callback endpoint.
 *
 * <p>Run: {@code java -cp hack/discord-sim/target/discord-sim.jar:hack/discord-sim/target/test-classes
 * dev.chopsticks.discordsim.bench.SimulatorBenchmark [events] [interactions]}
 */
public final class SimulatorBenchmark {
    private static final int SHARDS = 4;
    private static final double EVENT_TARGET = 5_000;
    private static final double INTERACTION_TARGET = 2_000;
    /** Interactions awaiting their reply at any moment, like a busy bot's concurrent commands. */
    private static final int IN_FLIGHT = 64;

    private SimulatorBenchmark() {}

    /** Per-thread CPU, to split the simulator's share (server, injector, ticker) from the clients' (JDK HttpClient threads). */
    private static Map<Long, long[]> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, long[]> out = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long cpu = mx.getThreadCpuTime(info.getThreadId());
                out.put(
                        info.getThreadId(),
                        new long[] {cpu, info.getThreadName().startsWith("HttpClient") ? 1 : 0});
            }
        }
        return out;
    }

    /**
     * {simulator, clients} CPU microseconds per operation. Clients are the JDK HttpClient threads (the bots'
     * WebSocket I/O); everything else, the bots' HTTP posters, GC and JIT included, is charged to the simulator
     * (conservative).
     */
    private static double[] split(Map<Long, long[]> before, long processCpuBefore, int operations) {
        double[] micros = new double[2];
        threadCpu().forEach((id, now) -> {
            if (now[1] == 1) {
                long[] then = before.get(id);
                micros[1] += (now[0] - (then == null ? 0 : then[0])) / 1e3 / operations;
            }
        });
        micros[0] = (cpuNanos() - processCpuBefore) / 1e3 / operations - micros[1];
        return micros;
    }

    /** CPU time of the whole process (simulator and clients): independent of other load on the machine. */
    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int interactions = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.out.printf(
                Locale.ROOT,
                "discord-sim benchmark: %d cores, JDK %s, %d shards, load average %.1f at start%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                SHARDS,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        SimConfig config = SimConfig.builder()
                .guilds(256)
                .maxConcurrency(SHARDS)
                .heartbeatInterval(Duration.ofMinutes(5))
                .gatewaySendLimit(1_000_000)
                .resumeBuffer(1_000)
                .interactionAckDeadline(Duration.ofSeconds(30))
                .build();
        boolean ok = true;
        try (DiscordSimulator sim = DiscordSimulator.start(config)) {
            ok &= dispatch(sim, events / 4, false, false); // warm-up: let C2 compile the hot paths first
            ok &= dispatch(sim, events / 4, true, false);
            ok &= dispatch(sim, events, false, true);
            ok &= dispatch(sim, events, true, true);
            ok &= interactions(sim, interactions / 5, false);
            ok &= interactions(sim, interactions, true);
        }
        System.out.println(ok ? "RESULT: all targets met" : "RESULT: a target was missed");
        System.exit(ok ? 0 : 1);
    }

    private static boolean dispatch(DiscordSimulator sim, int events, boolean zlib, boolean report) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CountingGatewayClient> clients = connect(sim, http, zlib, null);
        try {
            List<SimGuild> guilds = new ArrayList<>(sim.world().guilds());
            ObjectNode message = sampleMessage(sim, guilds.get(0));
            long[] before = clients.stream()
                    .mapToLong(CountingGatewayClient::dispatches)
                    .toArray();
            long cpuStart = cpuNanos();
            Map<Long, long[]> threadsBefore = threadCpu();
            long start = System.nanoTime();
            Thread[] producers = new Thread[2];
            for (int p = 0; p < producers.length; p++) {
                int offset = p;
                producers[p] = Thread.ofPlatform().start(() -> {
                    for (int i = offset; i < events; i += producers.length) {
                        sim.dispatch(guilds.get(i % guilds.size()).id(), "MESSAGE_CREATE", message);
                    }
                });
            }
            for (Thread t : producers) {
                t.join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (received(clients, before) < events && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMicrosEach = (cpuNanos() - cpuStart) / 1e3 / events;
            double[] share = split(threadsBefore, cpuStart, events);
            long got = received(clients, before);
            double rate = got / seconds;
            if (report) {
                System.out.printf(
                        Locale.ROOT,
                        "gateway dispatch (%s): %,d events to %d shards in %.2f s = %,.0f events/s (target %,.0f) %s"
                                + "%n  CPU per event: %.1f us in all, of which simulator %.1f us (capacity ~%,.0f events/s on %d cores)%n",
                        zlib ? "zlib-stream" : "json",
                        got,
                        SHARDS,
                        seconds,
                        rate,
                        EVENT_TARGET,
                        rate >= EVENT_TARGET ? "OK" : "MISSED",
                        cpuMicrosEach,
                        share[0],
                        Runtime.getRuntime().availableProcessors() * 1e6 / share[0],
                        Runtime.getRuntime().availableProcessors());
            }
            return !report || (got == events && rate >= EVENT_TARGET);
        } finally {
            clients.forEach(CountingGatewayClient::close);
        }
    }

    private static boolean interactions(DiscordSimulator sim, int count, boolean report) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create(sim.httpUrl());
        KeepAlivePoster poster = new KeepAlivePoster(base.getHost(), base.getPort(), 16);
        // The trivial bot: answer every interaction with a type-4 message over the real HTTP callback endpoint.
        List<CountingGatewayClient> clients = connect(
                sim,
                http,
                false,
                interaction -> poster.post(
                        "/api/v10/interactions/" + interaction.path("id").asText() + "/"
                                + interaction.path("token").asText() + "/callback",
                        "{\"type\":4,\"data\":{\"content\":\"pong\"}}"));
        try {
            List<SimGuild> guilds = new ArrayList<>(sim.world().guilds());
            sim.resetStats();
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            List<CompletableFuture<InteractionOutcome>> replies = new ArrayList<>(count);
            long cpuStart = cpuNanos();
            Map<Long, long[]> threadsBefore = threadCpu();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                long id = sim.injectSlashCommand(SlashCommand.of(
                                "ping", guilds.get(i % guilds.size()).id()))
                        .id();
                replies.add(sim.replyFuture(id).whenComplete((r, e) -> inFlight.release()));
            }
            int answered = 0;
            for (CompletableFuture<InteractionOutcome> f : replies) {
                try {
                    if (f.get(60, TimeUnit.SECONDS).complete()) {
                        answered++;
                    }
                } catch (TimeoutException e) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMicrosEach = (cpuNanos() - cpuStart) / 1e3 / count;
            double[] share = split(threadsBefore, cpuStart, count);
            double rate = answered / seconds;
            if (report) {
                LatencySummary l = sim.stats().interactionLatency();
                System.out.printf(
                        Locale.ROOT,
                        "interactions: %,d injected, %,d answered in %.2f s = %,.0f answered/s (target %,.0f) %s%n"
                                + "  injection->reply latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%d in flight)%n"
                                + "  CPU per interaction: %.0f us in all, of which simulator %.0f us, bot WebSocket clients %.0f us"
                                + " (simulator capacity ~%,.0f interactions/s on %d cores)%n",
                        count,
                        answered,
                        seconds,
                        rate,
                        INTERACTION_TARGET,
                        rate >= INTERACTION_TARGET ? "OK" : "MISSED",
                        l.p50Micros() / 1e3,
                        l.p90Micros() / 1e3,
                        l.p99Micros() / 1e3,
                        l.maxMicros() / 1e3,
                        IN_FLIGHT,
                        cpuMicrosEach,
                        share[0],
                        share[1],
                        Runtime.getRuntime().availableProcessors() * 1e6 / share[0],
                        Runtime.getRuntime().availableProcessors());
            }
            return !report || (answered == count && rate >= INTERACTION_TARGET);
        } finally {
            clients.forEach(CountingGatewayClient::close);
            poster.close();
        }
    }

    private static List<CountingGatewayClient> connect(
            DiscordSimulator sim, HttpClient http, boolean zlib, Consumer<JsonNode> onInteraction) {
        sim.setIdentifyRule(SHARDS, Duration.ZERO);
        List<CountingGatewayClient> clients = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            clients.add(new CountingGatewayClient(
                    http,
                    sim.gatewayUrl(),
                    zlib,
                    sim.token(),
                    s,
                    SHARDS,
                    onInteraction == null ? i -> {} : onInteraction));
        }
        clients.forEach(c -> c.ready().orTimeout(30, TimeUnit.SECONDS).join());
        // Earlier phases' sessions must be gone, or every event would also be buffered for them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sim.stats().connectionsPerShard().values().stream()
                                .mapToInt(Integer::intValue)
                                .sum()
                        != SHARDS
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return clients;
    }

    private static long received(List<CountingGatewayClient> clients, long[] before) {
        long sum = 0;
        for (int i = 0; i < clients.size(); i++) {
            sum += clients.get(i).dispatches() - before[i];
        }
        return sum;
    }

    /** A realistic ~700-byte MESSAGE_CREATE body. */
    private static ObjectNode sampleMessage(DiscordSimulator sim, SimGuild guild) {
        ObjectNode m = EntityJson.message(
                1_234_567_890_123_456_789L,
                guild.defaultTextChannel(),
                guild.members().get(1).user(),
                Instant.parse("2026-01-01T00:00:00Z"),
                0);
        m.put("content", "The quick brown fox jumps over the lazy dog. ".repeat(4));
        m.set("member", EntityJson.member(guild.members().get(1), false));
        return m;
    }
}
