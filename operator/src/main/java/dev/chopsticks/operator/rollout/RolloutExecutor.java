package dev.chopsticks.operator.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.events.EventRecorder;
import dev.chopsticks.operator.rollout.RolloutDecision.PodRestart;
import dev.chopsticks.operator.rollout.RolloutDecision.Progress;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link RolloutDecision}: for each pod, first the restart record on its Shards (so a crash right
 * after still leaves the record), then the delete, conditional on the pod's UID as observed (a pod replaced since is
 * left for the next reconcile, which decides again), and an Event for each respawn and step. Holds no state the
 * decisions depend on: its only memory is the UIDs of pods it deleted in the last minutes (so a reconcile that runs
 * before the informer has seen a deletion does not delete the same pod again). What changed about the rollout as a
 * whole is announced by {@link RolloutEvents}.
 */
public final class RolloutExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutExecutor.class);
    private static final Duration REMEMBER_DELETES = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventRecorder events;
    private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

    public RolloutExecutor(EventRecorder events) {
        this.events = events;
    }

    /**
     * Deletes the decided pods, all at once (one after the other, a 16-pod step spread its pod starts over 1.6 s);
     * returns how many deletes the API server accepted.
     */
    public int execute(
            KubernetesClient client,
            ChopsticksCluster cluster,
            RolloutDecision decision,
            Map<String, ShardState> shards,
            Instant now) {
        deleted.values().removeIf(t -> t.isBefore(now.minus(REMEMBER_DELETES)));
        String ns = cluster.getMetadata().getNamespace();
        List<PodRestart> todo = decision.restarts().stream()
                .filter(r ->
                        r.pod().uid() == null || !deleted.containsKey(r.pod().uid()))
                .toList();
        List<Boolean> accepted = inParallel(todo, r -> restart(client, ns, r, shards, now));
        int done = 0;
        for (int i = 0; i < todo.size(); i++) {
            PodRestart r = todo.get(i);
            if (!accepted.get(i)) {
                continue;
            }
            if (r.pod().uid() != null) {
                deleted.put(r.pod().uid(), now);
            }
            done++;
            LOG.info(
                    "cluster {}/{}: deleted pod {} ({}): {}",
                    ns,
                    cluster.getMetadata().getName(),
                    r.pod().name(),
                    r.reason(),
                    r.detail());
            if (r.reason().isRespawn()) {
                events.normal(cluster, EventReason.SHARD_RESPAWNED, "respawned " + describe(r) + ": " + r.detail());
            }
        }
        List<PodRestart> steps = decision.restarts().stream()
                .filter(r -> !r.reason().isRespawn())
                .toList();
        if (!steps.isEmpty()) {
            Progress p = decision.progress();
            events.normal(
                    cluster,
                    EventReason.ROLLOUT_STEP,
                    "step " + p.step() + " of " + p.totalSteps() + ": restarting "
                            + steps.stream().map(RolloutExecutor::describe).collect(Collectors.joining(", ")) + " ("
                            + steps.get(0).detail() + ")");
        }
        return done;
    }

    /** One pod: the restart record on its Shards first (a crash right after still leaves it), then the delete. */
    private static boolean restart(
            KubernetesClient client, String ns, PodRestart r, Map<String, ShardState> shards, Instant now) {
        record(client, ns, r, shards, now);
        try {
            delete(client, ns, r.pod());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                LOG.info(
                        "pod {}/{} changed or went away before its {} delete (HTTP {}); deciding again next reconcile",
                        ns,
                        r.pod().name(),
                        r.reason(),
                        e.getCode());
                return false;
            }
            throw e;
        }
    }

    /** Runs {@code action} for every item at once and returns the results in order; the first failure is rethrown. */
    static <T, R> List<R> inParallel(List<T> items, Function<T, R> action) {
        if (items.size() <= 1) {
            return items.stream().map(action).toList();
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures =
                    items.stream().map(i -> pool.submit(() -> action.apply(i))).toList();
            List<R> out = new ArrayList<>(futures.size());
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while restarting pods", e);
                }
            }
            return out;
        }
    }

    private static void record(
            KubernetesClient client, String ns, PodRestart r, Map<String, ShardState> shards, Instant now) {
        for (String name : r.shards()) {
            ShardState shard = shards.get(name);
            Map<String, String> annotations = r.reason().isRespawn()
                    ? ShardAnnotations.forRespawn(shard == null ? ShardState.fresh(-1, name) : shard, now)
                    : ShardAnnotations.forRolloutRestart(now);
            try {
                client.resources(Shard.class)
                        .inNamespace(ns)
                        .withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch(annotations));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /**
     * DELETE with a UID precondition: the pod instance that was observed, never a replacement of the same name (the
     * API server answers 409 then). Status changes of the same instance do not matter.
     */
    static void delete(KubernetesClient client, String ns, PodState pod) {
        if (pod.uid() == null) {
            client.pods().inNamespace(ns).withName(pod.name()).delete();
            return;
        }
        DeleteOptions options = new DeleteOptionsBuilder()
                .withApiVersion("v1")
                .withKind("DeleteOptions")
                .withNewPreconditions()
                .withUid(pod.uid())
                .endPreconditions()
                .build();
        client.raw("/api/v1/namespaces/" + ns + "/pods/" + pod.name(), "DELETE", options);
    }

    static String mergePatch(Map<String, String> annotations) {
        Map<String, Object> patch = Map.of("metadata", Map.of("annotations", new LinkedHashMap<>(annotations)));
        try {
            return JSON.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(PodRestart r) {
        List<Integer> ids = r.shardIds();
        String range = ids.size() == 1 ? "shard " + ids.get(0) : "shards " + ids.get(0) + "-" + ids.get(ids.size() - 1);
        return r.pod().name() + " (" + range + ")";
    }
}
