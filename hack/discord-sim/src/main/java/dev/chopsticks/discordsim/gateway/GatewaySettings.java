package dev.chopsticks.discordsim.gateway;

import java.time.Duration;

/**
 * The part of the simulator's configuration the gateway reads; SimConfig documents each value. A type of its own
 * so that the gateway does not depend on the package that wires it.
 */
public record GatewaySettings(
        Duration heartbeatInterval,
        int sendLimit,
        Duration sendWindow,
        int maxPayloadBytes,
        int allowedPrivilegedIntents,
        int maxGuildsPerShard,
        int resumeBuffer,
        Duration resumeTimeout,
        Duration reconnectGrace) {}
