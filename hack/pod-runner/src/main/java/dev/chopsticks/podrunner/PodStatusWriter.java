package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes our process's state into the Pod's status subresource, as a kubelet would. kwok's stages
 * (hack/kwok/pod-stages.yaml) write a claimed Pod's status while it is Pending (Running once {@link PodClaims} says
 * who plays it) and once an exit code is reported, so once kwok made the Pod Running what we write stays; before
 * that kwok would overwrite it, so we wait for Running and report {@link Result#NOT_YET}.
 */
final class PodStatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);
    private static final int ATTEMPTS = 5;

    /** The outcome of one write. */
    enum Result {
        WRITTEN,
        NOT_YET,
        GONE
    }

    private final KubernetesClient client;

    PodStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Makes the container's status match {@code view}.
     *
     * @param readiness also write ready flags and the Ready/ContainersReady conditions (the readiness bridge)
     */
    Result write(PodId id, ContainerView view, boolean readiness) {
        for (int attempt = 1; ; attempt++) {
            Pod pod = id.fetch(client);
            if (pod == null) {
                return Result.GONE;
            }
            if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
                return Result.NOT_YET;
            }
            apply(pod, view, readiness);
            try {
                client.pods().inNamespace(id.namespace()).resource(pod).updateStatus();
                return Result.WRITTEN;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Result.GONE;
                }
                // 409: someone (kwok, the controller manager) wrote the Pod since we read it; read again.
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
                    LOG.warn("could not write status of {}: {}", id, e.getMessage());
                    return Result.NOT_YET;
                }
            }
        }
    }

    static void apply(Pod pod, ContainerView view, boolean readiness) {
        List<ContainerStatus> statuses = new ArrayList<>(pod.getStatus().getContainerStatuses());
        int index = -1;
        for (int i = 0; i < statuses.size(); i++) {
            if (view.containerName().equals(statuses.get(i).getName())) {
                index = i;
            }
        }
        ContainerStatus old = index >= 0 ? statuses.get(index) : null;
        ContainerStatusBuilder status = old != null
                ? new ContainerStatusBuilder(old)
                : new ContainerStatusBuilder()
                        .withName(view.containerName())
                        .withImage(imageOf(pod, view.containerName()))
                        .withImageID("");
        status.withRestartCount(view.restartCount())
                .withStarted(view.runningSince() != null)
                .withState(state(view));
        if (view.lastExit() != null) {
            var exit = view.lastExit();
            status.withLastState(new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(exit.exitCode())
                    .withReason(exit.exitCode() == 0 ? "Completed" : "Error")
                    .withStartedAt(timestamp(exit.startedAt()))
                    .withFinishedAt(timestamp(exit.finishedAt()))
                    .endTerminated()
                    .build());
        }
        if (readiness) {
            status.withReady(view.ready());
        }
        if (index >= 0) {
            statuses.set(index, status.build());
        } else {
            statuses.add(status.build());
        }
        pod.getStatus().setContainerStatuses(statuses);
        if (readiness) {
            boolean allReady = statuses.stream().allMatch(s -> Boolean.TRUE.equals(s.getReady()));
            setCondition(pod, "ContainersReady", allReady);
            setCondition(pod, "Ready", allReady);
        }
    }

    private static ContainerState state(ContainerView view) {
        if (view.runningSince() != null) {
            return new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(timestamp(view.runningSince()))
                    .endRunning()
                    .build();
        }
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(Objects.requireNonNullElse(view.waitingReason(), "ContainerCreating"))
                .withMessage(view.waitingMessage())
                .endWaiting()
                .build();
    }

    private static void setCondition(Pod pod, String type, boolean value) {
        String status = value ? "True" : "False";
        List<PodCondition> conditions = new ArrayList<>(pod.getStatus().getConditions());
        conditions.removeIf(c -> {
            if (!type.equals(c.getType())) {
                return false;
            }
            return !status.equals(c.getStatus());
        });
        if (conditions.stream().noneMatch(c -> type.equals(c.getType()))) {
            conditions.add(new PodConditionBuilder()
                    .withType(type)
                    .withStatus(status)
                    .withLastTransitionTime(timestamp(Instant.now()))
                    .withReason(value ? null : "ContainersNotReady")
                    .build());
        }
        pod.getStatus().setConditions(conditions);
    }

    /** Kubernetes times are whole seconds (metav1.Time). */
    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String imageOf(Pod pod, String container) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(container))
                .map(c -> c.getImage())
                .findFirst()
                .orElse("");
    }
}
