package dev.chopsticks.discordsim.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.InteractionRef;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import dev.chopsticks.discordsim.metrics.SimStats;
import dev.chopsticks.discordsim.world.PostedMessage;
import java.time.Duration;
import java.util.List;

/**
 * Test-side control of a simulator: the in-JVM {@code DiscordSimulator} and the HTTP
 * {@code DiscordSimClient} (for a simulator in another process or pod) implement the same operations.
 */
public interface SimControl {
    WorldInfo worldInfo();

    /** Dispatches INTERACTION_CREATE to the shard(s) holding the guild. */
    InteractionRef injectSlashCommand(SlashCommand command);

    /** Waits for the bot's final reply; on timeout returns what arrived so far ({@code complete() == false}). */
    InteractionOutcome awaitReply(long interactionId, Duration timeout);

    default InteractionOutcome invoke(SlashCommand command, Duration timeout) {
        return awaitReply(injectSlashCommand(command).id(), timeout);
    }

    /** The bot joins a new guild (GUILD_CREATE to its shard); returns the guild id. */
    long addGuild(String name);

    /** The bot leaves a guild (GUILD_DELETE); false if unknown. */
    boolean removeGuild(long guildId);

    /** A new user joins (GUILD_MEMBER_ADD, for sessions with GUILD_MEMBERS); returns the user id. */
    long addMember(long guildId, String username);

    /** Dispatches any event for a guild; returns how many sessions received it. */
    int dispatch(long guildId, String event, JsonNode data);

    int forceReconnect(int shardId);

    int dropConnection(int shardId);

    int invalidateSession(int shardId);

    SimStats stats();

    void resetStats();

    /** Stored application commands: global when {@code guildId} is null. */
    List<JsonNode> commands(Long guildId);

    /** Messages visible in a channel, oldest first (bot posts, interaction replies, follow-ups). */
    List<PostedMessage> messages(long channelId);

    List<Long> guildIdsForShard(int shardId, int shardCount);

    /** Sets {@code session_start_limit.total/remaining}; also restores a token the budget had reset. */
    void setSessionStartLimit(int total, int remaining);

    void setIdentifyRule(int maxConcurrency, Duration window);
}
