package dev.chopsticks.discordsim.metrics;

import dev.chopsticks.discordsim.identify.IdentifyStats;
import dev.chopsticks.discordsim.identify.SessionStartLimit;
import java.util.Map;

/**
 * A snapshot of the simulator's counters.
 *
 * @param connectionsPerShard open, identified connections keyed {@code "shardId/shardCount"}
 * @param openConnections every open gateway socket, identified or not
 * @param closeCodesSent close codes the simulator sent, with counts
 * @param closeCodesReceived close codes of sockets the clients closed (1006: dropped without a close frame), with counts
 * @param identifies accepted IDENTIFYs: sessions started (each spent one session start)
 * @param resumes RESUMEs answered with a replay and RESUMED (they spend no session start)
 * @param failedResumes RESUMEs refused: op 9 {@code d: false} (unknown, ended, expired or overflowed session) or 4007
 * @param resumableSessions sessions without a connection that a RESUME can still take over
 * @param eventsSent dispatch (op 0) frames written to sockets, replays included
 * @param dispatchesReplayed dispatch frames a RESUME wrote again (also counted in {@code eventsSent})
 * @param maxDispatchDeliveryWaitMs the longest time from a dispatch's creation to its write on a socket, replays
 *     included: how long an event waited for a shard that had no connection
 * @param duplicateAcknowledgements interaction callbacks refused because the interaction was already acknowledged (40060)
 * @param lateAcknowledgements interaction callbacks refused because the 3 s acknowledgement deadline had passed (10062)
 * @param budgetExhaustions identifies that found the session-start budget empty (each one reset the token)
 */
public record SimStats(
        Map<String, Integer> connectionsPerShard,
        int openConnections,
        long connectionsOpened,
        long identifies,
        long resumes,
        long failedResumes,
        int resumableSessions,
        IdentifyStats identify,
        SessionStartLimit sessionStartLimit,
        long budgetExhaustions,
        Map<Integer, Long> closeCodesSent,
        Map<Integer, Long> closeCodesReceived,
        long eventsSent,
        long dispatchesReplayed,
        long maxDispatchDeliveryWaitMs,
        long interactionsInjected,
        long interactionsAnswered,
        long duplicateAcknowledgements,
        long lateAcknowledgements,
        LatencySummary interactionLatency,
        long httpRequests,
        long httpRateLimited,
        long commandOverwrites) {}
