package dev.chopsticks.discordsim.control;

/** Identity of the simulated bot and where to reach the simulator. */
public record WorldInfo(
        long applicationId,
        long botUserId,
        String botName,
        int guildCount,
        String httpUrl,
        String restBaseUrl,
        String gatewayUrl) {}
