package dev.chopsticks.bot.relay;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A store that lives as long as the process: without Redis, a restart identifies (nothing else can hold it). */
public final class MemorySessionStore implements SessionStore {
    private final Map<String, SavedSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, String>> guilds = new ConcurrentHashMap<>();

    private static String key(int shardId, int shardCount) {
        return shardId + "/" + shardCount;
    }

    @Override
    public Optional<SavedSession> session(int shardId, int shardCount) {
        return Optional.ofNullable(sessions.get(key(shardId, shardCount)));
    }

    @Override
    public Map<Long, String> guilds(int shardId, int shardCount) {
        return Map.copyOf(guilds.getOrDefault(key(shardId, shardCount), Map.of()));
    }

    @Override
    public void save(
            int shardId, int shardCount, SavedSession session, Map<Long, String> changed, Collection<Long> removed) {
        Map<Long, String> shard = guilds.computeIfAbsent(key(shardId, shardCount), k -> new ConcurrentHashMap<>());
        shard.putAll(changed);
        removed.forEach(shard::remove);
        sessions.put(key(shardId, shardCount), session);
    }

    @Override
    public void forget(int shardId, int shardCount) {
        sessions.remove(key(shardId, shardCount));
        guilds.remove(key(shardId, shardCount));
    }
}
