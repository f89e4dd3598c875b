package dev.chopsticks.bot.shardstatus;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import net.dv8tion.jda.api.JDA;

/**
 * Maps JDA's status of one shard to a Shard phase. JDA uses the same connecting statuses for a fresh IDENTIFY and a
 * RESUME, so the tracker remembers whether the identify queue just gave this shard its turn:
 *
 * <table>
 *   <tr><th>JDA.Status</th><th>phase</th></tr>
 *   <tr><td>INITIALIZING, INITIALIZED, LOGGING_IN</td><td>Starting</td></tr>
 *   <tr><td>(identify refused by the budget guard)</td><td>Pending</td></tr>
 *   <tr><td>CONNECTING_TO_WEBSOCKET .. LOADING_SUBSYSTEMS, WAITING_/ATTEMPTING_TO_RECONNECT</td>
 *       <td>Identifying after the identify queue's turn, else Resuming</td></tr>
 *   <tr><td>(the relay holds the IDENTIFY until the generation takes the session over)</td><td>Standby, until
 *       CONNECTED or a disconnect</td></tr>
 *   <tr><td>CONNECTED</td><td>Ready</td></tr>
 *   <tr><td>DISCONNECTED, RECONNECT_QUEUED, SHUTTING_DOWN, SHUTDOWN</td><td>Disconnected</td></tr>
 *   <tr><td>FAILED_TO_LOGIN, or shut down by Discord with a non-resumable close code (e.g. 4004, 4014)</td><td>Failed</td></tr>
 * </table>
 */
final class PhaseTracker {
    private boolean identifyTurn;
    private boolean standby;
    private JDA.Status last;
    private ShardPhase phase = ShardPhase.Starting;

    ShardPhase phase() {
        return phase;
    }

    /** The identify queue gave the shard its turn: the connection that follows is a new session. */
    ShardPhase identifying() {
        identifyTurn = true;
        return phase = ShardPhase.Identifying;
    }

    /**
     * Warm, waiting to take its session over: JDA's connecting statuses that follow, and CONNECTED on the preloaded
     * state, do not change that until {@link #tookOver}.
     */
    ShardPhase standby() {
        standby = true;
        return phase = ShardPhase.Standby;
    }

    /** The session is taken over: Ready if JDA is connected, else what JDA's status says. */
    ShardPhase tookOver() {
        standby = false;
        return last == null ? phase : on(last);
    }

    ShardPhase refused() {
        return phase = ShardPhase.Pending;
    }

    ShardPhase failed() {
        return phase = ShardPhase.Failed;
    }

    ShardPhase on(JDA.Status status) {
        last = status;
        if (standby
                && status != JDA.Status.SHUTTING_DOWN
                && status != JDA.Status.SHUTDOWN
                && status != JDA.Status.FAILED_TO_LOGIN) {
            return phase;
        }
        phase = switch (status) {
            // Init statuses come once, before the shard is queued; seen late (events of two threads), they must not
            // move a shard that already had its identify turn back to Starting.
            case INITIALIZING, INITIALIZED, LOGGING_IN -> phase;
            case CONNECTING_TO_WEBSOCKET,
                    IDENTIFYING_SESSION,
                    AWAITING_LOGIN_CONFIRMATION,
                    LOADING_SUBSYSTEMS,
                    WAITING_TO_RECONNECT,
                    ATTEMPTING_TO_RECONNECT -> identifyTurn ? ShardPhase.Identifying : ShardPhase.Resuming;
            case CONNECTED -> {
                identifyTurn = false;
                yield ShardPhase.Ready;
            }
            case FAILED_TO_LOGIN -> ShardPhase.Failed;
            case SHUTTING_DOWN, SHUTDOWN -> phase == ShardPhase.Failed ? ShardPhase.Failed : ShardPhase.Disconnected;
            case DISCONNECTED, RECONNECT_QUEUED -> {
                identifyTurn = false;
                yield ShardPhase.Disconnected;
            }
        };
        return phase;
    }
}
