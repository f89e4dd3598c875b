package dev.chopsticks.bot.identify;

/** Which shards can connect without an IDENTIFY (their session is resumed): those skip the identify queue. */
@FunctionalInterface
public interface ResumableSessions {
    ResumableSessions NONE = shardId -> false;

    boolean canResume(int shardId);
}
