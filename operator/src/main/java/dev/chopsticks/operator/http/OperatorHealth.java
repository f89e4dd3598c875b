package dev.chopsticks.operator.http;

/** What the health endpoints ask the running operator. */
public interface OperatorHealth {
    /** Informers are started (a standby replica counts as started). */
    boolean isStarted();

    /**
     * Healthy unless the start failed, an informer stopped, or this replica leads and an informer is unhealthy
     * (true while starting).
     */
    boolean isHealthy();

    /** This replica holds the leader Lease (always true without leader election). */
    boolean isLeader();
}
