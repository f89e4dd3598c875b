package dev.chopsticks.discordsim.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Every open gateway connection and every live (resumable) session. */
public final class SessionRegistry {
    private final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final Set<GatewayConnection> connections = ConcurrentHashMap.newKeySet();

    void addConnection(GatewayConnection c) {
        connections.add(c);
    }

    void removeConnection(GatewayConnection c) {
        connections.remove(c);
    }

    void addSession(GatewaySession s) {
        sessions.put(s.id(), s);
    }

    Optional<GatewaySession> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Ends the session for good (no RESUME can bring it back) and forgets it; returns its connection, if any. */
    GatewayConnection end(GatewaySession s) {
        GatewayConnection c = s.invalidate();
        sessions.remove(s.id(), s);
        return c;
    }

    Collection<GatewaySession> sessions() {
        return sessions.values();
    }

    Collection<GatewayConnection> connections() {
        return connections;
    }

    /** Live sessions whose shard holds the guild: with overlapping shard counts (resharding) there can be several. */
    List<GatewaySession> holding(long guildId) {
        List<GatewaySession> out = new ArrayList<>(2);
        for (GatewaySession s : sessions.values()) {
            if (!s.invalidated() && s.holdsGuild(guildId)) {
                out.add(s);
            }
        }
        return out;
    }

    List<GatewaySession> withShardId(int shardId) {
        return sessions.values().stream()
                .filter(s -> s.shardId() == shardId && !s.invalidated())
                .toList();
    }

    public int openConnections() {
        return (int) connections.stream().filter(GatewayConnection::isOpen).count();
    }

    /** Sessions without a connection that a RESUME may still take over (the timeout not yet checked). */
    public int resumableSessions() {
        return (int) sessions.values().stream()
                .filter(GatewaySession::awaitingResume)
                .count();
    }

    /** Open, identified connections per {@code "shardId/shardCount"}. */
    public Map<String, Integer> connectionsPerShard() {
        Map<String, Integer> out = new TreeMap<>();
        for (GatewayConnection c : connections) {
            GatewaySession s = c.session();
            if (c.isOpen() && s != null && !s.invalidated() && s.connection() == c) {
                out.merge(s.shardKey(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Removes invalidated sessions and detached ones past the resume timeout. */
    void purge(long nowMs, long resumeTimeoutMs) {
        sessions.values().removeIf(s -> s.expired(nowMs, resumeTimeoutMs));
    }
}
