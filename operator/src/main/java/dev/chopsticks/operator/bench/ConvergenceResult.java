package dev.chopsticks.operator.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** What one {@link ConvergenceBenchmark} run measured, as a Markdown table and as one JSON line. */
public record ConvergenceResult(
        int shards,
        int pods,
        Duration converge,
        long requests,
        Map<String, Long> byMethod,
        long writes,
        long reconciles,
        long heapAfterGcBytes,
        long heapPeakBytes,
        long noopWrites) {

    public String table() {
        return String.join(
                        "\n",
                        "| Metric | Value |",
                        "|---|---|",
                        String.format(Locale.ROOT, "| Shards / pods | %d / %d |", shards, pods),
                        String.format(Locale.ROOT, "| Time to converge | %.1f s |", converge.toMillis() / 1000.0),
                        String.format(Locale.ROOT, "| API requests (operator) | %d %s |", requests, byMethod),
                        String.format(Locale.ROOT, "| API writes (operator) | %d |", writes),
                        String.format(Locale.ROOT, "| Reconciles | %d |", reconciles),
                        String.format(Locale.ROOT, "| Heap used after GC | %d MiB |", heapAfterGcBytes >> 20),
                        String.format(Locale.ROOT, "| Heap peak (pools, whole JVM) | %d MiB |", heapPeakBytes >> 20),
                        String.format(Locale.ROOT, "| Writes of a no-op reconcile | %d |", noopWrites))
                + "\n";
    }

    public String json() {
        return String.format(
                Locale.ROOT,
                "{\"shards\":%d,\"pods\":%d,\"convergeSeconds\":%.1f,\"requests\":%d,\"writes\":%d,\"reconciles\":%d,"
                        + "\"heapAfterGcMiB\":%d,\"heapPeakMiB\":%d,\"noopWrites\":%d}",
                shards,
                pods,
                converge.toMillis() / 1000.0,
                requests,
                writes,
                reconciles,
                heapAfterGcBytes >> 20,
                heapPeakBytes >> 20,
                noopWrites);
    }
}
