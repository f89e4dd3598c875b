package dev.chopsticks.discordsim.world;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongUnaryOperator;

/**
 * The simulated Discord world as seen by one bot: its user, its application and the guilds it is in.
 *
 * <p>Initial ids are deterministic. Guild {@code i} gets the timestamp part {@code GUILD_BASE + i}, so
 * {@code (id >> 22) % n} walks consecutive integers and the guilds spread evenly over any shard count.
 */
public final class World {
    static final long GUILD_BASE_MS = 200_000_000_000L;
    static final long CHANNEL_BASE_MS = 210_000_000_000L;
    static final long ROLE_BASE_MS = 220_000_000_000L;
    static final long USER_BASE_MS = 190_000_000_000L;
    private static final long EVERYONE_PERMISSIONS = 2_248_473_465_835_073L;
    private static final long ADMINISTRATOR = 8L;
    private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

    private final SimUser bot;
    private final long applicationId;
    private final List<SimUser> userPool;
    private final int membersPerGuild;
    private final ConcurrentSkipListMap<Long, SimGuild> guilds = new ConcurrentSkipListMap<>();
    private final Map<Long, SimChannel> channels = new ConcurrentHashMap<>();
    private final Map<Long, SimUser> users = new ConcurrentHashMap<>();

    public World(WorldSpec spec) {
        this.applicationId = spec.applicationId();
        this.bot = new SimUser(spec.applicationId(), spec.botName(), spec.botName(), true);
        this.membersPerGuild = spec.membersPerGuild();
        users.put(bot.id(), bot);
        List<SimUser> pool = new ArrayList<>(spec.userPool());
        for (int u = 0; u < spec.userPool(); u++) {
            SimUser user = new SimUser(Snowflake.of(USER_BASE_MS + u, 4, 0, 0), "user" + u, "User " + u, false);
            pool.add(user);
            users.put(user.id(), user);
        }
        this.userPool = List.copyOf(pool);
        for (int i = 0; i < spec.guilds(); i++) {
            register(buildGuild(
                    Snowflake.of(GUILD_BASE_MS + i, 1, 0, 0),
                    "Guild " + i,
                    i,
                    k -> Snowflake.of(CHANNEL_BASE_MS + indexOf(k), 2, 0, (int) (k % 4096)),
                    CREATED));
        }
    }

    private static long indexOf(long k) {
        return k / 4096;
    }

    private SimGuild buildGuild(long guildId, String name, int seed, LongUnaryOperator ids, Instant joinedAt) {
        long base = (long) seed * 4096;
        long category = ids.applyAsLong(base);
        long general = ids.applyAsLong(base + 1);
        long welcome = ids.applyAsLong(base + 2);
        long voice = ids.applyAsLong(base + 3);
        long botRole = ids.applyAsLong(base + 4);
        List<SimChannel> chans = List.of(
                new SimChannel(category, guildId, ChannelType.GUILD_CATEGORY, "Text Channels", 0, 0),
                new SimChannel(general, guildId, ChannelType.GUILD_TEXT, "general", 0, category),
                new SimChannel(welcome, guildId, ChannelType.GUILD_TEXT, "welcome", 1, category),
                new SimChannel(voice, guildId, ChannelType.GUILD_VOICE, "General", 0, 0));
        List<SimRole> roles = List.of(
                new SimRole(guildId, "@everyone", EVERYONE_PERMISSIONS, 0, 0, false),
                new SimRole(botRole, bot.username(), ADMINISTRATOR, 1, 0x5865F2, false));
        List<SimMember> members = new ArrayList<>();
        members.add(new SimMember(bot, List.of(botRole), joinedAt));
        for (int j = 0; j < membersPerGuild; j++) {
            members.add(new SimMember(userPool.get(Math.floorMod(seed + j, userPool.size())), List.of(), joinedAt));
        }
        long owner = members.get(1).user().id();
        return new SimGuild(guildId, name, owner, roles, chans, members, welcome, joinedAt);
    }

    private void register(SimGuild guild) {
        guild.channels().forEach(c -> channels.put(c.id(), c));
        guild.members().forEach(m -> users.putIfAbsent(m.user().id(), m.user()));
        guilds.put(guild.id(), guild);
    }

    public SimUser bot() {
        return bot;
    }

    public long applicationId() {
        return applicationId;
    }

    public int guildCount() {
        return guilds.size();
    }

    public Collection<SimGuild> guilds() {
        return guilds.values();
    }

    public Optional<SimGuild> guild(long id) {
        return Optional.ofNullable(guilds.get(id));
    }

    public Optional<SimChannel> channel(long id) {
        return Optional.ofNullable(channels.get(id));
    }

    public Optional<SimUser> user(long id) {
        return Optional.ofNullable(users.get(id));
    }

    /** Guild ids the routing formula assigns to {@code shardId} out of {@code shardCount}, ascending. */
    public List<Long> guildIdsForShard(int shardId, int shardCount) {
        List<Long> ids = new ArrayList<>();
        for (Long id : guilds.keySet()) {
            if (ShardRouting.shardFor(id, shardCount) == shardId) {
                ids.add(id);
            }
        }
        return ids;
    }

    public int guildCountForShard(int shardId, int shardCount) {
        int n = 0;
        for (Long id : guilds.keySet()) {
            if (ShardRouting.shardFor(id, shardCount) == shardId) {
                n++;
            }
        }
        return n;
    }

    /** The bot joins a new guild (ids are fresh runtime snowflakes). */
    public SimGuild addGuild(String name) {
        long guildId = Snowflake.next();
        long[] fresh = new long[5];
        for (int k = 0; k < fresh.length; k++) {
            fresh[k] = Snowflake.next();
        }
        int seed = (int) Long.remainderUnsigned(guildId >>> 22, Integer.MAX_VALUE);
        SimGuild guild = buildGuild(guildId, name, seed, k -> fresh[(int) (k % 4096)], Instant.now());
        register(guild);
        return guild;
    }

    /** The bot leaves (or is removed from) a guild. */
    public Optional<SimGuild> removeGuild(long guildId) {
        SimGuild removed = guilds.remove(guildId);
        if (removed != null) {
            removed.channels().forEach(c -> channels.remove(c.id()));
        }
        return Optional.ofNullable(removed);
    }

    /** A brand-new user joins a guild. */
    public Optional<SimMember> addMember(long guildId, String username) {
        SimGuild guild = guilds.get(guildId);
        if (guild == null) {
            return Optional.empty();
        }
        SimUser user = new SimUser(Snowflake.next(), username, username, false);
        users.put(user.id(), user);
        SimMember member = new SimMember(user, List.of(), Instant.now());
        guild.addMember(member);
        return Optional.of(member);
    }
}
