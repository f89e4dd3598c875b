package dev.chopsticks.bot.relay;

import dev.chopsticks.bot.identify.IdentifyEvents;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What every shard relay of the process shares. {@code takeovers} runs the session takeovers of a generation switch,
 * one thread each: they read the saved guilds from Redis, and the shards of a process must not wait for each other.
 */
record RelayContext(
        Supplier<SessionStore> stores,
        String token,
        String gatewayUrl,
        String relayUrl,
        Duration resumeWindow,
        ScheduledExecutorService scheduler,
        ExecutorService takeovers,
        RelayMetrics metrics,
        IdentifyEvents events,
        GenerationRole role) {

    SessionStore store() {
        return stores.get();
    }
}
