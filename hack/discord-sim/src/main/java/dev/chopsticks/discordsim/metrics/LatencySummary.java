package dev.chopsticks.discordsim.metrics;

/** Interaction latency (injection to final reply) percentiles in microseconds. */
public record LatencySummary(
        long count, long p50Micros, long p90Micros, long p99Micros, long maxMicros, double meanMicros) {}
