package dev.chopsticks.discordsim.identify;

import java.util.List;
import java.util.Map;

/**
 * Identify counters.
 *
 * @param acceptedPerBucket accepted identifies per bucket since start (or the last reset)
 * @param maxAttemptsPerWindow per bucket, the most identify attempts (accepted or not) seen in any one window
 * @param violations identifies rejected for breaking the bucket rule, oldest first
 */
public record IdentifyStats(
        int maxConcurrency,
        long windowMs,
        Map<Integer, Long> acceptedPerBucket,
        Map<Integer, Integer> maxAttemptsPerWindow,
        List<IdentifyViolation> violations) {}
