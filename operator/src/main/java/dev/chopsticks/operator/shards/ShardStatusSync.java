package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.api.v1alpha1.StatusCondition;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import dev.chopsticks.operator.rollout.RolloutDecision.RefusedRespawn;
import dev.chopsticks.operator.rollout.ShardAnnotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the pod side of each Shard's status ({@code shard: "3/8"}, {@code pod}, {@code restarts}, and the
 * {@value #RESPAWN} condition while the operator refuses to respawn it) through the status subresource with
 * server-side apply under the operator's own status field manager, so the bot's fields (phase, guilds, ping,
 * heartbeat) are untouched. The one exception: while respawns are refused the operator also sets {@code phase:
 * Failed} and a {@code message} starting with {@value #FAILED_PREFIX}: the bot is dead or crash-looping then and
 * cannot say so itself, and {@code kubectl get shards} must not keep showing its last word (often Ready). Patches
 * only shards whose pod side differs: an unchanged cluster costs no writes.
 */
public final class ShardStatusSync {
    public static final String FIELD_MANAGER = "chopsticks-operator-shard-status";
    /** Condition type: False (reason RestartCapReached or IdentifyBudgetLow) while respawns are refused. */
    public static final String RESPAWN = "Respawn";
    /** Start of the message of a phase the operator set (and so may clear again). */
    public static final String FAILED_PREFIX = "Respawns stopped: ";

    private static final Logger LOG = LoggerFactory.getLogger(ShardStatusSync.class);

    private ShardStatusSync() {}

    /**
     * The operator's part of a shard's status; {@code phase}/{@code message} only while respawns are refused
     * ({@code Failed}, message starting with {@value #FAILED_PREFIX}).
     */
    public record PodSide(
            String shard,
            String pod,
            Integer restarts,
            List<StatusCondition> conditions,
            ShardPhase phase,
            String message) {
        public PodSide(String shard, String pod, Integer restarts) {
            this(shard, pod, restarts, null, null, null);
        }

        ShardStatus toStatus() {
            return new ShardStatus(shard, phase, null, null, pod, restarts, null, null, message, conditions);
        }

        /** What the status holds of the operator's part; a Failed phase counts only if the operator wrote it. */
        static PodSide of(ShardStatus status) {
            if (status == null) {
                return new PodSide(null, null, null, null, null, null);
            }
            boolean ours = status.phase() == ShardPhase.Failed
                    && status.message() != null
                    && status.message().startsWith(FAILED_PREFIX);
            return new PodSide(
                    status.shard(),
                    status.pod(),
                    status.restarts(),
                    status.conditions() == null || status.conditions().isEmpty() ? null : status.conditions(),
                    ours ? ShardPhase.Failed : null,
                    ours ? status.message() : null);
        }
    }

    /** Pure: the generation-1 pod side for one shard given the cluster's pods. */
    public static PodSide desired(ChopsticksCluster cluster, ShardPlan plan, Shard shard, Map<String, Pod> pods) {
        return desired(cluster, new ShardGeneration(1, plan), shard, pods, null, Instant.EPOCH);
    }

    /**
     * Pure: the pod side for one shard. Restarts are the pod's container restarts plus the operator's respawns (the
     * last value is kept while the pod is away); the Respawn condition is present only while respawns are refused
     * and keeps its transition time while it stays.
     */
    public static PodSide desired(
            ChopsticksCluster cluster,
            ShardGeneration generation,
            Shard shard,
            Map<String, Pod> pods,
            RefusedRespawn refused,
            Instant now) {
        int id = shard.getSpec().shardId();
        ShardPlan plan = generation.plan();
        String podName = Names.shardPod(cluster, generation.generation(), plan.podOf(id));
        Pod pod = pods.get(podName);
        Integer previous = shard.getStatus() == null ? null : shard.getStatus().restarts();
        int respawns = ShardAnnotations.respawnCount(shard.getMetadata().getAnnotations());
        int restarts = pod != null ? ShardPods.restarts(pod) + respawns : previous == null ? respawns : previous;
        List<StatusCondition> conditions = null;
        ShardPhase phase = null;
        String message = null;
        if (refused != null) {
            phase = ShardPhase.Failed;
            message = FAILED_PREFIX + refused.message();
            String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
            List<StatusCondition> before =
                    shard.getStatus() == null ? null : shard.getStatus().conditions();
            if (before != null) {
                time = before.stream()
                        .filter(c -> RESPAWN.equals(c.type()) && "False".equals(c.status()))
                        .map(StatusCondition::lastTransitionTime)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(time);
            }
            conditions = List.of(
                    new StatusCondition(RESPAWN, "False", refused.refusal().reason(), refused.message(), time, null));
        }
        return new PodSide(plan.label(id), podName, restarts, conditions, phase, message);
    }

    /** Patches the shards whose pod side is out of date; returns how many were patched. */
    public static int sync(
            KubernetesClient client,
            ChopsticksCluster cluster,
            List<ShardGeneration> generations,
            Collection<Shard> shards,
            Map<String, Pod> pods,
            Map<String, RefusedRespawn> refused,
            Instant now) {
        int patched = 0;
        for (Shard shard : shards) {
            if (shard.getSpec() == null || shard.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            int g = ShardGeneration.numberOf(shard);
            ShardGeneration generation = generations.stream()
                    .filter(x -> x.generation() == g)
                    .findFirst()
                    .orElse(null);
            if (generation == null
                    || shard.getSpec().shardId() >= generation.plan().shards()
                    || shard.getSpec().shardCount() != generation.plan().shards()) {
                continue; // not (yet) part of a live generation
            }
            PodSide want = desired(
                    cluster,
                    generation,
                    shard,
                    pods,
                    refused.get(shard.getMetadata().getName()),
                    now);
            if (Objects.equals(want, PodSide.of(shard.getStatus()))) {
                continue;
            }
            Shard patch = new Shard(
                    shard.getMetadata().getNamespace(), shard.getMetadata().getName(), null);
            patch.setStatus(want.toStatus());
            try {
                client.resource(patch)
                        .subresource("status")
                        .patch(new PatchContext.Builder()
                                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                                .withFieldManager(FIELD_MANAGER)
                                .withForce(true)
                                .build());
                patched++;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                LOG.debug(
                        "shard {} vanished before its status was written",
                        shard.getMetadata().getName());
            }
        }
        return patched;
    }
}
