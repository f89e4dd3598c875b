package dev.chopsticks.api.v1alpha1;

/**
 * The bounds the schema puts on a ChopsticksCluster, in one place so that the CEL rules, the descriptions and the
 * operator's own validation agree. Every integer is bounded by what its Java type, Discord and the servers it
 * configures accept: a value the API server accepts must never stop the operator (an {@code Integer} overflow fails
 * the informer for every cluster) or make it plan more than it can hold in memory.
 */
public final class SchemaLimits {
    /** Discord closes a shard above 2,500 guilds with 4011. */
    public static final int DISCORD_MAX_GUILDS_PER_SHARD = 2500;
    /**
     * The most shards a cluster may plan: far above the largest bots (≈ 1,000,000 guilds need 500 shards at 2,000 per
     * shard), low enough that a plan fits in the operator's heap many times over.
     */
    public static final int MAX_SHARDS = 20_000;
    /** {@link #MAX_SHARDS} full shards. */
    public static final long MAX_GUILDS = (long) MAX_SHARDS * DISCORD_MAX_GUILDS_PER_SHARD;
    /** Discord's largest max_concurrency in the large-bot sharding programme is far below this. */
    public static final int MAX_CONCURRENCY = 1024;
    /** PostgreSQL's own limit on max_connections (MAX_BACKENDS, 2^18 - 1). */
    public static final int POSTGRES_MAX_CONNECTIONS = 262_143;
    /** The bot refuses larger L1 caches (LOCAL_CACHE_GUILD_MAX / LOCAL_CACHE_USER_MAX). */
    public static final int MAX_CACHE_ENTRIES = 10_000_000;
    /** Two of Discord's 41.25 s heartbeat intervals: a shorter timeout would respawn healthy shards. */
    public static final String MIN_HEARTBEAT_TIMEOUT = "82.5s";
    /** One identify window: a restarted shard cannot be Ready sooner. */
    public static final String MIN_READY_TIMEOUT = "5s";
    /**
     * The bots' Redis identify queue enforces Discord's 5 s per bucket whatever the operator does (every cluster the
     * operator deploys has Redis), so respawnDelay is extra spacing between steps, not the safety rule; it must not
     * be zero, so that steps never run back to back.
     */
    public static final String MIN_RESPAWN_DELAY = "100ms";
    /** Image references: [registry[:port]/]path[:tag][@digest], lower-case path, no spaces. */
    public static final String IMAGE_REFERENCE = "^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*"
            + "(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";
    /** A DNS-1123 subdomain: the names of Secrets. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

    private SchemaLimits() {}
}
