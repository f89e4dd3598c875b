package dev.chopsticks.discordsim.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chopsticks.discordsim.world.SimChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** State of one injected interaction: its acknowledgement, messages and the replies the bot sent. */
final class PendingInteraction {
    final long id;
    final String token;
    final long guildId;
    final SimChannel channel;
    final long userId;
    final String commandName;
    final long injectedNanos;
    final CompletableFuture<InteractionOutcome> done = new CompletableFuture<>();

    private int callbackType;
    private long firstNanos = -1;
    private long finalNanos = -1;
    private final List<InteractionReply> replies = new ArrayList<>();
    private ObjectNode original;
    private final Map<Long, ObjectNode> followups = new LinkedHashMap<>();

    PendingInteraction(
            long id,
            String token,
            long guildId,
            SimChannel channel,
            long userId,
            String commandName,
            long injectedNanos) {
        this.id = id;
        this.token = token;
        this.guildId = guildId;
        this.channel = channel;
        this.userId = userId;
        this.commandName = commandName;
        this.injectedNanos = injectedNanos;
    }

    synchronized int callbackType() {
        return callbackType;
    }

    synchronized void acknowledge(int type, long nowNanos) {
        callbackType = type;
        firstNanos = nowNanos;
    }

    synchronized ObjectNode original() {
        return original == null ? null : original.deepCopy();
    }

    synchronized void original(ObjectNode message) {
        original = message;
    }

    synchronized ObjectNode followup(long messageId) {
        ObjectNode m = followups.get(messageId);
        return m == null ? null : m.deepCopy();
    }

    synchronized void followup(long messageId, ObjectNode message) {
        followups.put(messageId, message);
    }

    /** Records a reply; {@code completes} marks the moment the user sees the answer. Returns true if this completed it. */
    synchronized boolean record(InteractionReply.Kind kind, JsonNode payload, long nowNanos, boolean completes) {
        replies.add(new InteractionReply(
                kind, payload, Duration.ofNanos(nowNanos - injectedNanos))); // request bodies are ours alone
        if (completes && finalNanos < 0) {
            finalNanos = nowNanos;
            return true;
        }
        return false;
    }

    synchronized long finalLatencyNanos() {
        return finalNanos < 0 ? -1 : finalNanos - injectedNanos;
    }

    synchronized InteractionOutcome snapshot() {
        return new InteractionOutcome(
                id,
                callbackType,
                List.copyOf(replies),
                firstNanos < 0 ? null : Duration.ofNanos(firstNanos - injectedNanos),
                finalNanos < 0 ? null : Duration.ofNanos(finalNanos - injectedNanos));
    }
}
