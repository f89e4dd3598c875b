package dev.chopsticks.discordsim.world;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Messages per channel, newest last, bounded so a long soak cannot exhaust memory. */
public final class MessageStore {
    private static final int PER_CHANNEL = 1_000;

    private final Map<Long, Deque<PostedMessage>> byChannel = new ConcurrentHashMap<>();
    private final Map<Long, PostedMessage> byId = new ConcurrentHashMap<>();

    public void add(PostedMessage message) {
        Deque<PostedMessage> deque = byChannel.computeIfAbsent(message.channelId(), k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(message);
            if (deque.size() > PER_CHANNEL) {
                byId.remove(deque.removeFirst().id());
            }
        }
        byId.put(message.id(), message);
    }

    /** Replaces a message by id (an edit), keeping its place in the channel. */
    public void replace(PostedMessage edited) {
        Deque<PostedMessage> deque = byChannel.get(edited.channelId());
        if (deque == null) {
            add(edited);
            return;
        }
        synchronized (deque) {
            if (!deque.removeIf(m -> m.id() == edited.id())) {
                deque.addLast(edited);
            } else {
                // Re-insert in id order: message ids are time-ordered like Discord's.
                List<PostedMessage> all = new ArrayList<>(deque);
                all.add(edited);
                all.sort(Comparator.comparingLong(PostedMessage::id));
                deque.clear();
                deque.addAll(all);
            }
        }
        byId.put(edited.id(), edited);
    }

    public List<PostedMessage> inChannel(long channelId) {
        Deque<PostedMessage> deque = byChannel.get(channelId);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            return List.copyOf(deque);
        }
    }

    public Optional<PostedMessage> byId(long messageId) {
        return Optional.ofNullable(byId.get(messageId));
    }
}
