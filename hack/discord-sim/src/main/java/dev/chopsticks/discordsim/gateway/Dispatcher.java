package dev.chopsticks.discordsim.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.json.Json;

/** Fans dispatch events out to the sessions that hold a guild, honouring intents. */
public final class Dispatcher {
    private final SessionRegistry registry;

    public Dispatcher(SessionRegistry registry) {
        this.registry = registry;
    }

    /** Sends {@code event} to every session holding {@code guildId}; returns how many sessions got it. */
    public int toGuild(long guildId, String event, JsonNode data) {
        int intent = Intents.requiredFor(event);
        String json = null;
        int delivered = 0;
        for (GatewaySession s : registry.holding(guildId)) {
            if (!s.wants(intent)) {
                continue;
            }
            if (json == null) {
                json = Json.write(data); // serialise once, only if someone listens
            }
            if (s.dispatch(event, json)) {
                delivered++;
            }
        }
        return delivered;
    }
}
