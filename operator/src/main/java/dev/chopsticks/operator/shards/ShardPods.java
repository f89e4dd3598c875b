package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.rollout.RolloutObserver;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches the shard pods (created by the StatefulSet, not by us) so Shard objects can show their pod and restarts.
 * Pods map to their cluster through the {@code app.kubernetes.io/instance} label.
 */
public final class ShardPods {
    public static final String EVENT_SOURCE = "shard-pods";

    private ShardPods() {}

    public static InformerEventSource<Pod, ChopsticksCluster> eventSource(
            EventSourceContext<ChopsticksCluster> context) {
        var config = InformerEventSourceConfiguration.from(Pod.class, ChopsticksCluster.class)
                .withName(EVENT_SOURCE)
                .withLabelSelector(Labels.SELECT_SHARD)
                .withSecondaryToPrimaryMapper(pod -> {
                    String cluster = pod.getMetadata().getLabels() == null
                            ? null
                            : pod.getMetadata().getLabels().get(Labels.INSTANCE);
                    return cluster == null
                            ? Set.of()
                            : Set.of(new ResourceID(cluster, pod.getMetadata().getNamespace()));
                })
                .withOnUpdateFilter(podChangesWorthAReconcile())
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * Restarts, phase, a container dying (CrashLoopBackOff, terminated: respawns react at once), readiness and deletion
     * matter; other status churn does not.
     */
    static OnUpdateFilter<Pod> podChangesWorthAReconcile() {
        return (newPod, oldPod) -> restarts(newPod) != restarts(oldPod)
                || !Objects.equals(phase(newPod), phase(oldPod))
                || !Objects.equals(RolloutObserver.dead(newPod), RolloutObserver.dead(oldPod))
                || ready(newPod) != ready(oldPod)
                || !Objects.equals(
                        newPod.getMetadata().getDeletionTimestamp(),
                        oldPod.getMetadata().getDeletionTimestamp())
                || !Objects.equals(
                        newPod.getMetadata().getAnnotations(),
                        oldPod.getMetadata().getAnnotations());
    }

    /** The cluster's shard pods by name. */
    public static Map<String, Pod> byName(ChopsticksCluster cluster, Context<ChopsticksCluster> context) {
        String name = cluster.getMetadata().getName();
        return context.getSecondaryResourcesAsStream(Pod.class)
                .filter(p -> p.getMetadata().getLabels() != null
                        && name.equals(p.getMetadata().getLabels().get(Labels.INSTANCE)))
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(), (a, b) -> a));
    }

    /** Sum of the restart counts of the pod's containers. */
    public static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getRestartCount)
                .filter(Objects::nonNull)
                .mapToInt(Integer::intValue)
                .sum();
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    public static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
