package dev.chopsticks.bot.identify;

/** What the identify queue tells the rest of the process (shard status reporting). */
public interface IdentifyEvents {
    IdentifyEvents NONE = new IdentifyEvents() {};

    /** The shard got its turn and is about to identify. */
    default void identifying(int shardId) {}

    /** The shard may not identify now; {@code message} says why and when it asks again. */
    default void refused(int shardId, String message) {}

    /** Discord's session-start budget as this process last knows it (read, minus its own identifies since). */
    default void budget(int remaining, int total) {}

    /** The shard's next READY comes from a resumed session (the gateway relay), not from an IDENTIFY. */
    default void resumed(int shardId) {}

    /** The shard is warm and waits to take its session over once its generation is active (no identify). */
    default void standby(int shardId) {}

    /** The waiting shard took its session over (RESUMED): it serves. */
    default void tookOver(int shardId) {}
}
