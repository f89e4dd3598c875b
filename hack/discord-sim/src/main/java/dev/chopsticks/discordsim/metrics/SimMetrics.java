package dev.chopsticks.discordsim.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/** Lock-free counters shared by every part of the simulator. */
public final class SimMetrics {
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder identifies = new LongAdder();
    public final LongAdder resumes = new LongAdder();
    public final LongAdder failedResumes = new LongAdder();
    public final LongAdder eventsSent = new LongAdder();
    /** Dispatches written again by a RESUME (each frame once per resume that replays it). */
    public final LongAdder dispatchesReplayed = new LongAdder();
    /** The longest a dispatch waited between its creation and a socket write, replays included. */
    private final LongAccumulator maxDispatchWaitMs = new LongAccumulator(Math::max, 0);

    public final LongAdder interactionsInjected = new LongAdder();
    public final LongAdder interactionsAnswered = new LongAdder();
    /** Callbacks refused with 40060: a second answer to an interaction (e.g. two shard generations both answering). */
    public final LongAdder duplicateAcknowledgements = new LongAdder();
    /** Callbacks refused with 10062 because they came after the 3 s acknowledgement deadline. */
    public final LongAdder lateAcknowledgements = new LongAdder();

    public final LongAdder httpRequests = new LongAdder();
    public final LongAdder httpRateLimited = new LongAdder();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closeCodesReceived = new ConcurrentHashMap<>();
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);

    public void closeSent(int code) {
        closeCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** A client closed its gateway socket with this code (1006 when the connection dropped without a close frame). */
    public void closeReceived(int code) {
        closeCodesReceived.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    public Map<Integer, Long> closeCodesReceived() {
        Map<Integer, Long> out = new TreeMap<>();
        closeCodesReceived.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<Integer, Long> closeCodes() {
        Map<Integer, Long> out = new TreeMap<>();
        closeCodes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void dispatchDelivered(long waitedMs) {
        maxDispatchWaitMs.accumulate(waitedMs);
    }

    public long maxDispatchWaitMs() {
        return maxDispatchWaitMs.get();
    }

    public void recordInteractionLatency(long nanos) {
        latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(0, nanos / 1_000)));
    }

    public LatencySummary latency() {
        var h = latencyMicros.copy();
        return new LatencySummary(
                h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(90),
                h.getValueAtPercentile(99),
                h.getMaxValue(),
                h.getTotalCount() == 0 ? 0 : h.getMean());
    }

    public void reset() {
        for (LongAdder a : new LongAdder[] {
            connectionsOpened,
            identifies,
            resumes,
            failedResumes,
            eventsSent,
            dispatchesReplayed,
            interactionsInjected,
            interactionsAnswered,
            duplicateAcknowledgements,
            lateAcknowledgements,
            httpRequests,
            httpRateLimited
        }) {
            a.reset();
        }
        maxDispatchWaitMs.reset();
        closeCodes.clear();
        closeCodesReceived.clear();
        latencyMicros.reset();
    }
}
