package dev.chopsticks.bot.data;

/** HikariCP pool occupancy for the status endpoint. */
public record PoolStats(int active, int idle, int total, int waiting, int max) {}
