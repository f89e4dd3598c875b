package dev.chopsticks.operator.rollout;

import dev.chopsticks.api.v1alpha1.IdentifyStatus;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Labels;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.rollout.GenerationPlanner.Layout;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns the cluster's objects (shard StatefulSets, their pods, the Shards) into the planner's view. No I/O: callers
 * pass what the informers hold.
 */
public final class RolloutObserver {
    private RolloutObserver() {}

    /** The generations of these shard StatefulSets (one cluster's), oldest first. */
    public static List<GenerationState> generations(
            Collection<StatefulSet> statefulSets, Collection<Pod> pods, Collection<Shard> shards) {
        List<GenerationState> out = new ArrayList<>();
        for (StatefulSet sts : statefulSets) {
            Layout layout = layoutOf(sts);
            out.add(generation(
                    generationOf(sts),
                    layout,
                    sts.getMetadata().getName(),
                    Annotations.podTemplateHash(sts),
                    controllerCurrent(sts),
                    pods,
                    shards));
        }
        out.sort(Comparator.comparingInt(GenerationState::generation));
        return out;
    }

    /** One generation, whether its StatefulSet exists ({@code targetHash} non-null) or not yet. */
    public static GenerationState generation(
            int generation,
            Layout layout,
            String statefulSet,
            String targetHash,
            boolean controllerCurrent,
            Collection<Pod> pods,
            Collection<Shard> shards) {
        Map<Integer, PodState> byOrdinal = new HashMap<>();
        String prefix = statefulSet + "-";
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            if (name.startsWith(prefix) && name.substring(prefix.length()).matches("[0-9]{1,6}")) {
                int ordinal = Integer.parseInt(name.substring(prefix.length()));
                byOrdinal.put(ordinal, pod(pod, ordinal));
            }
        }
        Map<Integer, ShardState> byId = new HashMap<>();
        for (Shard shard : shards) {
            if (shard.getSpec() != null
                    && shard.getSpec().shardId() != null
                    && ShardGeneration.numberOf(shard) == generation
                    && shard.getSpec().shardId() < layout.shards()) {
                byId.put(shard.getSpec().shardId(), shard(shard));
            }
        }
        return new GenerationState(
                generation,
                layout.shards(),
                layout.shardsPerPod(),
                statefulSet,
                targetHash,
                controllerCurrent,
                byOrdinal,
                byId);
    }

    /**
     * Whether the StatefulSet controller has acted on the StatefulSet's current spec. Until it has, a deleted pod is
     * recreated from the template before the change and would have to be restarted a second time.
     */
    public static boolean controllerCurrent(StatefulSet sts) {
        Long generation = sts.getMetadata().getGeneration();
        Long observed = sts.getStatus() == null ? null : sts.getStatus().getObservedGeneration();
        return generation == null || (observed != null && observed >= generation);
    }

    /** The generation a shard StatefulSet runs: its label, else 1 (StatefulSets from before generations). */
    public static int generationOf(StatefulSet sts) {
        String v = sts.getMetadata().getLabels() == null
                ? null
                : sts.getMetadata().getLabels().get(Labels.GENERATION);
        return v != null && v.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(v) : 1;
    }

    /** A StatefulSet's layout: its annotations, else its container's SHARD_COUNT/SHARDS_PER_POD, else replicas x 1. */
    public static Layout layoutOf(StatefulSet sts) {
        Map<String, String> annotations = sts.getMetadata().getAnnotations() == null
                ? Map.of()
                : sts.getMetadata().getAnnotations();
        Optional<Integer> count =
                number(annotations.get(Annotations.SHARD_COUNT)).or(() -> env(sts, "SHARD_COUNT"));
        Optional<Integer> perPod =
                number(annotations.get(Annotations.SHARDS_PER_POD)).or(() -> env(sts, "SHARDS_PER_POD"));
        int replicas = sts.getSpec() == null || sts.getSpec().getReplicas() == null
                ? 1
                : sts.getSpec().getReplicas();
        return new Layout(count.orElse(Math.max(1, replicas)), perPod.orElse(1));
    }

    public static PodState pod(Pod pod, int ordinal) {
        var meta = pod.getMetadata();
        String hash = Annotations.podTemplateHash(pod);
        Instant created =
                meta.getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(meta.getCreationTimestamp());
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return new PodState(
                meta.getName(),
                meta.getUid(),
                ordinal,
                hash,
                created,
                meta.getDeletionTimestamp() != null,
                "Running".equals(phase),
                dead(pod),
                meta.getResourceVersion());
    }

    /**
     * Why the pod is dead, or null: phase Failed or Succeeded, or a container in CrashLoopBackOff or terminated. Kept
     * free of counters so the text stays the same while the pod stays dead.
     */
    public static String dead(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        String phase = pod.getStatus().getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            String reason = pod.getStatus().getReason();
            return phase + (reason == null ? "" : " (" + reason + ")");
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return null;
        }
        for (ContainerStatus cs : statuses) {
            var state = cs.getState();
            if (state == null) {
                continue;
            }
            if (state.getWaiting() != null
                    && "CrashLoopBackOff".equals(state.getWaiting().getReason())) {
                return "in CrashLoopBackOff";
            }
            if (state.getTerminated() != null) {
                Integer code = state.getTerminated().getExitCode();
                return "terminated" + (code == null ? "" : " (exit code " + code + ")");
            }
        }
        return null;
    }

    public static ShardState shard(Shard shard) {
        ShardStatus st = shard.getStatus();
        Map<String, String> annotations = shard.getMetadata().getAnnotations();
        return new ShardState(
                shard.getSpec().shardId(),
                shard.getMetadata().getName(),
                st == null ? null : st.phase(),
                st == null ? null : ShardAnnotations.instant(st.sessionStartedAt()),
                st == null ? null : ShardAnnotations.instant(st.lastHeartbeat()),
                ShardAnnotations.restartedAt(annotations),
                ShardAnnotations.respawnedAt(annotations),
                ShardAnnotations.respawnCount(annotations),
                st == null ? null : st.identifyRemaining(),
                st == null ? null : st.identifyTotal());
    }

    /**
     * The identify budget as the bots last reported it: the report of the shard whose session started last (it read
     * session_start_limit just before), ignored when that is over a day old (the budget has reset since).
     */
    public static Optional<IdentifyStatus> identify(Collection<ShardState> shards, Instant now) {
        return shards.stream()
                .filter(s -> s.identifyRemaining() != null
                        && s.sessionStartedAt() != null
                        && s.sessionStartedAt().isAfter(now.minus(Duration.ofDays(1))))
                .max(Comparator.comparing(ShardState::sessionStartedAt))
                .map(s -> new IdentifyStatus(
                        s.identifyTotal() == null ? null : Math.max(0, s.identifyTotal() - s.identifyRemaining()),
                        s.identifyRemaining(),
                        s.identifyTotal()));
    }

    private static Optional<Integer> env(StatefulSet sts, String name) {
        if (sts.getSpec() == null
                || sts.getSpec().getTemplate() == null
                || sts.getSpec().getTemplate().getSpec() == null) {
            return Optional.empty();
        }
        return sts.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getEnv() == null ? Stream.<EnvVar>empty() : c.getEnv().stream())
                .filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue)
                .findFirst()
                .flatMap(RolloutObserver::number);
    }

    private static Optional<Integer> number(String v) {
        return v != null && v.matches("[1-9][0-9]{0,8}") ? Optional.of(Integer.parseInt(v)) : Optional.empty();
    }
}
