package dev.chopsticks.discordsim.world;

import java.time.Instant;
import java.util.List;

/** A user's membership in one guild. */
public record SimMember(SimUser user, List<Long> roleIds, Instant joinedAt) {}
