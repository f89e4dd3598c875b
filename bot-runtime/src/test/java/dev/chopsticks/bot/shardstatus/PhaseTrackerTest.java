package dev.chopsticks.bot.shardstatus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import java.util.ArrayList;
import java.util.List;
import net.dv8tion.jda.api.JDA.Status;
import org.junit.jupiter.api.Test;

class PhaseTrackerTest {

    private static List<ShardPhase> feed(PhaseTracker t, Status... statuses) {
        List<ShardPhase> out = new ArrayList<>();
        for (Status s : statuses) {
            out.add(t.on(s));
        }
        return out;
    }

    @Test
    void firstStartIsStartingThenIdentifyingThenReady() {
        PhaseTracker t = new PhaseTracker();
        assertThat(feed(t, Status.INITIALIZING, Status.INITIALIZED, Status.LOGGING_IN))
                .containsOnly(ShardPhase.Starting);
        assertThat(t.identifying()).isEqualTo(ShardPhase.Identifying);
        // A late init status (delivered after the identify turn) does not move the shard back.
        assertThat(t.on(Status.LOGGING_IN)).isEqualTo(ShardPhase.Identifying);
        assertThat(feed(
                        t,
                        Status.CONNECTING_TO_WEBSOCKET,
                        Status.IDENTIFYING_SESSION,
                        Status.AWAITING_LOGIN_CONFIRMATION,
                        Status.LOADING_SUBSYSTEMS))
                .containsOnly(ShardPhase.Identifying);
        assertThat(t.on(Status.CONNECTED)).isEqualTo(ShardPhase.Ready);
    }

    @Test
    void aDroppedConnectionResumesWithoutAnIdentifyTurn() {
        PhaseTracker t = new PhaseTracker();
        t.identifying();
        t.on(Status.CONNECTED);
        assertThat(t.on(Status.DISCONNECTED)).isEqualTo(ShardPhase.Disconnected);
        assertThat(feed(
                        t,
                        Status.WAITING_TO_RECONNECT,
                        Status.ATTEMPTING_TO_RECONNECT,
                        Status.CONNECTING_TO_WEBSOCKET,
                        Status.AWAITING_LOGIN_CONFIRMATION))
                .containsOnly(ShardPhase.Resuming);
        assertThat(t.on(Status.CONNECTED)).isEqualTo(ShardPhase.Ready);
    }

    @Test
    void aLostSessionWaitsDisconnectedThenIdentifiesAgain() {
        PhaseTracker t = new PhaseTracker();
        t.identifying();
        t.on(Status.CONNECTED);
        assertThat(feed(t, Status.DISCONNECTED, Status.RECONNECT_QUEUED)).containsOnly(ShardPhase.Disconnected);
        t.identifying();
        assertThat(feed(
                        t,
                        Status.WAITING_TO_RECONNECT,
                        Status.ATTEMPTING_TO_RECONNECT,
                        Status.AWAITING_LOGIN_CONFIRMATION))
                .containsOnly(ShardPhase.Identifying);
    }

    @Test
    void refusedIsPendingAndFailureSurvivesShutdown() {
        PhaseTracker t = new PhaseTracker();
        assertThat(t.refused()).isEqualTo(ShardPhase.Pending);
        assertThat(t.on(Status.LOGGING_IN)).isEqualTo(ShardPhase.Pending);
        t.failed();
        assertThat(t.on(Status.SHUTDOWN)).isEqualTo(ShardPhase.Failed);
        assertThat(new PhaseTracker().on(Status.SHUTTING_DOWN)).isEqualTo(ShardPhase.Disconnected);
    }

    @Test
    void aWarmSuccessorStaysStandbyUntilItsSessionIsTakenOver() {
        PhaseTracker t = new PhaseTracker();
        feed(t, Status.INITIALIZING, Status.LOGGING_IN, Status.CONNECTING_TO_WEBSOCKET, Status.IDENTIFYING_SESSION);
        assertThat(t.standby()).isEqualTo(ShardPhase.Standby);
        // JDA's statuses after the relay held its IDENTIFY, delivered late or not: still waiting
        assertThat(feed(t, Status.IDENTIFYING_SESSION, Status.AWAITING_LOGIN_CONFIRMATION))
                .containsOnly(ShardPhase.Standby);
        // JDA connected on the predecessor's preloaded state: still waiting for the session
        assertThat(feed(t, Status.LOADING_SUBSYSTEMS, Status.CONNECTED)).containsOnly(ShardPhase.Standby);
        assertThat(t.tookOver()).isEqualTo(ShardPhase.Ready);
        // once Ready, a dropped connection is an ordinary resume again
        assertThat(feed(t, Status.WAITING_TO_RECONNECT)).containsOnly(ShardPhase.Resuming);
    }

    @Test
    void aTakeoverWithoutPreloadFollowsJdasStatusToReady() {
        PhaseTracker t = new PhaseTracker();
        feed(t, Status.CONNECTING_TO_WEBSOCKET, Status.AWAITING_LOGIN_CONFIRMATION);
        t.standby();
        assertThat(t.tookOver()).isEqualTo(ShardPhase.Resuming);
        assertThat(t.on(Status.CONNECTED)).isEqualTo(ShardPhase.Ready);
    }
}
