package dev.chopsticks.discordsim.identify;

/**
 * An IDENTIFY that broke the {@code max_concurrency} rule: a second identify in the same bucket
 * ({@code shard_id % max_concurrency}) within one window.
 *
 * @param atMs simulator clock time of the rejected identify
 * @param sinceLastMs time since the bucket's previous accepted identify
 */
public record IdentifyViolation(int shardId, int shardCount, int bucket, long atMs, long sinceLastMs) {}
