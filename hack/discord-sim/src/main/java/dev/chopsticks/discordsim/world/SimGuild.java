package dev.chopsticks.discordsim.world;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A guild of the simulated world. Channels and roles are fixed; members can join at runtime. */
public final class SimGuild {
    private final long id;
    private final String name;
    private final long ownerId;
    private final List<SimRole> roles;
    private final List<SimChannel> channels;
    private final List<SimMember> members;
    private final long systemChannelId;
    private final Instant joinedAt;

    public SimGuild(
            long id,
            String name,
            long ownerId,
            List<SimRole> roles,
            List<SimChannel> channels,
            List<SimMember> members,
            long systemChannelId,
            Instant joinedAt) {
        this.id = id;
        this.name = name;
        this.ownerId = ownerId;
        this.roles = List.copyOf(roles);
        this.channels = List.copyOf(channels);
        this.members = new CopyOnWriteArrayList<>(members);
        this.systemChannelId = systemChannelId;
        this.joinedAt = joinedAt;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public long ownerId() {
        return ownerId;
    }

    public List<SimRole> roles() {
        return roles;
    }

    public List<SimChannel> channels() {
        return channels;
    }

    public List<SimMember> members() {
        return List.copyOf(members);
    }

    public int memberCount() {
        return members.size();
    }

    public long systemChannelId() {
        return systemChannelId;
    }

    public Instant joinedAt() {
        return joinedAt;
    }

    /** The first text channel: where injected interactions land unless told otherwise. */
    public SimChannel defaultTextChannel() {
        return channels.stream().filter(c -> c.type().isText()).findFirst().orElseThrow();
    }

    public Optional<SimMember> member(long userId) {
        return members.stream().filter(m -> m.user().id() == userId).findFirst();
    }

    public void addMember(SimMember member) {
        members.add(member);
    }

    public boolean removeMember(long userId) {
        return members.removeIf(m -> m.user().id() == userId);
    }
}
