package dev.chopsticks.bot.shardstatus;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import java.time.Instant;

/**
 * The bot's side of a Shard's status: exactly the fields this process owns (the operator owns shard, pod, restarts).
 *
 * @param gatewayPingMs    -1 while unknown
 * @param sessionStartedAt when READY of the current session arrived; null before the first
 * @param lastHeartbeat    the last heartbeat ACK; null before the first
 * @param message          detail on the phase (e.g. why identify is refused); null when there is nothing to say
 * @param identifyRemaining Discord's session_start_limit.remaining as this process knows it; null while unknown
 * @param identifyTotal     session_start_limit.total; null while unknown
 * @param session           how the current session began ({@code ShardStatus.IDENTIFIED} or {@code RESUMED}); null
 *                          before the first
 */
public record ShardReport(
        ShardPhase phase,
        int guilds,
        long gatewayPingMs,
        Instant sessionStartedAt,
        Instant lastHeartbeat,
        String message,
        Integer identifyRemaining,
        Integer identifyTotal,
        String session) {}
