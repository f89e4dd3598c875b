package dev.chopsticks.bot.relay;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where a shard's session and guild state wait for the next process. Keys are per shard and shard count, so a new
 * resharding generation never resumes a session of the old one.
 */
public interface SessionStore {
    Optional<SavedSession> session(int shardId, int shardCount);

    /** Guild id → the guild's GUILD_CREATE data as JSON. */
    Map<Long, String> guilds(int shardId, int shardCount);

    /** Saves the session and the guilds that changed since the last save. */
    void save(int shardId, int shardCount, SavedSession session, Map<Long, String> changed, Collection<Long> removed);

    /** The session cannot be resumed any more: the next process identifies. */
    void forget(int shardId, int shardCount);
}
