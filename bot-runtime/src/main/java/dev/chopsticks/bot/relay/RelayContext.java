package dev.chopsticks.bot.relay;

import dev.chopsticks.bot.identify.IdentifyEvents;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** What every shard relay of the process shares. */
record RelayContext(
        Supplier<SessionStore> stores,
        String token,
        String gatewayUrl,
        String relayUrl,
        Duration resumeWindow,
        ScheduledExecutorService scheduler,
        RelayMetrics metrics,
        IdentifyEvents events,
        GenerationRole role) {

    SessionStore store() {
        return stores.get();
    }
}
