package dev.chopsticks.operator.metrics;

import dev.chopsticks.operator.events.EventRecorder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * JOSDK's metrics callback for "this primary is gone" (there is no finalizer, so no cleanup reconcile): drops the
 * cluster's gauges and the event recorder's memory of it. Combined with JOSDK's Micrometer metrics through
 * {@link io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics}.
 */
public final class ClusterMetricsHook implements Metrics {
    private final OperatorMetrics metrics;
    private final EventRecorder events;

    public ClusterMetricsHook(OperatorMetrics metrics, EventRecorder events) {
        this.metrics = metrics;
        this.events = events;
    }

    @Override
    public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
        metrics.forget(resourceID);
        events.forget(resourceID);
    }
}
