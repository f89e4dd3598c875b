package dev.chopsticks.bot.data;

import dev.chopsticks.bot.cache.CacheStats;
import dev.chopsticks.bot.cache.LayeredCache;
import dev.chopsticks.bot.cache.Versioned;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original's {@code loadGuildData}/{@code saveGuildData}: cached reads, and writes that apply a change function
 * under optimistic locking so two concurrent writers both keep their change.
 */
public final class GuildConfigStore {
    private static final Logger log = LoggerFactory.getLogger(GuildConfigStore.class);
    static final int MAX_ATTEMPTS = 10;

    private final GuildSettingsRepository repository;
    private final LayeredCache<GuildSettings> cache;

    public GuildConfigStore(GuildSettingsRepository repository, LayeredCache<GuildSettings> cache) {
        this.repository = repository;
        this.cache = cache;
    }

    /** loadGuildData: L1 → Redis → PostgreSQL. Defaults (revision 0) for a guild never configured. */
    public Versioned<GuildSettings> load(long guildId) {
        return cache.get(guildId, repository::load);
    }

    /**
     * saveGuildData: applies {@code change} to the current settings and writes with compare-and-set on revision. On a
     * conflict the change is re-applied to the freshly read row, so the other writer's change survives too.
     *
     * @throws ConcurrentUpdateException if every attempt conflicted
     * @throws DataUnavailableException  if PostgreSQL is down (nothing written)
     */
    public Versioned<GuildSettings> update(long guildId, UnaryOperator<GuildSettings> change) {
        // First attempt may start from the cached copy; a stale one just costs a conflict and a fresh read.
        Versioned<GuildSettings> base = cache.peekL1(guildId).orElseGet(() -> repository.load(guildId));
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            GuildSettings changed = change.apply(base.value());
            OptionalLong revision = repository.compareAndSet(guildId, base.revision(), changed);
            if (revision.isPresent()) {
                Versioned<GuildSettings> fresh = new Versioned<>(changed, revision.getAsLong());
                cache.written(guildId, fresh);
                return fresh;
            }
            log.debug("guild {} settings changed concurrently (attempt {}), re-reading", guildId, attempt);
            base = repository.load(guildId);
        }
        throw new ConcurrentUpdateException("guild " + guildId + " settings", MAX_ATTEMPTS);
    }

    public CacheStats stats() {
        return cache.stats();
    }
}
