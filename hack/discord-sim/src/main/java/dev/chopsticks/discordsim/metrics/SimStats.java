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
 * @param eventsSent dispatch (op 0) frames written to sockets, replays included
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
        IdentifyStats identify,
        SessionStartLimit sessionStartLimit,
        long budgetExhaustions,
        Map<Integer, Long> closeCodesSent,
        Map<Integer, Long> closeCodesReceived,
        long eventsSent,
        long interactionsInjected,
        long interactionsAnswered,
        long duplicateAcknowledgements,
        long lateAcknowledgements,
        LatencySummary interactionLatency,
        long httpRequests,
        long httpRateLimited,
        long commandOverwrites) {}
