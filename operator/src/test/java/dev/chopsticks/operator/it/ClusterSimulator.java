package dev.chopsticks.operator.it;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.operator.bench.ApiServerFixtures;
import dev.chopsticks.operator.common.Annotations;
import dev.chopsticks.operator.common.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What a bare API server lacks, played for one namespace: the StatefulSet controller (pods {@code <sts>-<i>} from
 * the template, recreated {@code podStart} after a delete; pods of a deleted StatefulSet removed, as garbage
 * collection would), the Job controller (migration Jobs succeed), the kubelet (pods Running and Ready, or in
 * CrashLoopBackOff for pods named in {@link #crashing}) and the bots (each shard reports Ready {@code identify} after
 * its pod was created, writing the bot's fields with its own field manager to {@code <SHARD_NAME_PREFIX><id>}, the
 * contract of operator/README.md). Bots of pods rejected by {@link #botsReady} never report Ready.
 *
 * <p>Everything is driven by informer events on one thread; the delays are simulated latencies, not waits. The
 * simulator records pod deletions and the times shards became Ready, for the tests' assertions.
 */
final class ClusterSimulator implements AutoCloseable {
    record Deletion(Instant at, String pod, String uid, String templateHash) {}

    record Ready(Instant at, String pod, String uid, List<String> shards) {}

    private final KubernetesClient client;
    private final String ns;
    /** How a bot writes its fields of a Shard's status: server-side apply under the bot's own field manager. */
    static final PatchContext BOT_APPLY = new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager("chopsticks-bot")
            .withForce(true)
            .build();

    private final String cluster;
    private final Duration podStart;
    private final Duration identify;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-simulator");
        t.setDaemon(true);
        return t;
    });
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    final List<Deletion> deletions = new CopyOnWriteArrayList<>();
    final List<Ready> readies = new CopyOnWriteArrayList<>();
    /** Pods (by name) whose container keeps crashing. */
    final Set<String> crashing = ConcurrentHashMap.newKeySet();

    private final Set<String> crashOnce = ConcurrentHashMap.newKeySet();
    /** Pods whose bots may report Ready (default: all). */
    volatile Predicate<Pod> botsReady = p -> true;
    /**
     * Pods whose bots report Standby instead of Ready: the warm successor of a session hand-off, waiting to take the
     * sessions over. {@link #takeOver} makes them Ready, as their RESUME would.
     */
    volatile Predicate<Pod> standby = p -> false;

    private final Map<String, Pod> inStandby = new ConcurrentHashMap<>();

    ClusterSimulator(KubernetesClient client, String ns, String cluster, Duration podStart, Duration identify) {
        this.client = client;
        this.ns = ns;
        this.cluster = cluster;
        this.podStart = podStart;
        this.identify = identify;
    }

    ClusterSimulator start() {
        informers.add(client.apps()
                .statefulSets()
                .inNamespace(ns)
                .inform(handler(sts -> run(() -> sync(sts)), sts -> run(() -> gc(sts)))));
        informers.add(client.pods().inNamespace(ns).inform(handler(pod -> run(() -> kubelet(pod)), this::podDeleted)));
        informers.add(client.batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .inform(handler(job -> run(() -> completeJob(job)), job -> {})));
        return this;
    }

    /** Lets bots report Ready that the predicate held back so far (for pods that exist now). */
    void releaseBots() {
        run(() -> client.pods().inNamespace(ns).list().getItems().forEach(this::kubelet));
    }

    /** A pod's container crash-loops now; its replacement is healthy. */
    void crashOnce(String pod) {
        crashOnce.add(pod);
        crash(pod);
    }

    /** A pod's container starts crash-looping now, and so do its replacements. */
    void crash(String pod) {
        crashing.add(pod);
        run(() -> {
            Pod p = client.pods().inNamespace(ns).withName(pod).get();
            if (p != null) {
                writeStatus(p, true);
            }
        });
    }

    // ---- StatefulSet and Job controllers ----

    private void sync(StatefulSet sts) {
        if (sts.getMetadata().getDeletionTimestamp() != null || !isShards(sts)) {
            return;
        }
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        for (int i = 0; i < replicas; i++) {
            String name = sts.getMetadata().getName() + "-" + i;
            if (client.pods().inNamespace(ns).withName(name).get() == null) {
                createPod(sts, name);
            }
        }
        markObserved(sts, replicas);
    }

    /** What the real controller reports once it acts on a spec (the operator waits for it before deleting pods). */
    private void markObserved(StatefulSet sts, int replicas) {
        Long generation = sts.getMetadata().getGeneration();
        if (sts.getStatus() != null && Objects.equals(sts.getStatus().getObservedGeneration(), generation)) {
            return;
        }
        client.apps()
                .statefulSets()
                .inNamespace(ns)
                .withName(sts.getMetadata().getName())
                .editStatus(current -> new StatefulSetBuilder(current)
                        .editOrNewStatus()
                        .withObservedGeneration(current.getMetadata().getGeneration())
                        .withReplicas(replicas)
                        .endStatus()
                        .build());
    }

    private void createPod(StatefulSet sts, String name) {
        StatefulSet current = client.apps()
                .statefulSets()
                .inNamespace(ns)
                .withName(sts.getMetadata().getName())
                .get();
        if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        var template = current.getSpec().getTemplate();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata().getAnnotations())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1")
                        .withKind("StatefulSet")
                        .withName(current.getMetadata().getName())
                        .withUid(current.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        try {
            client.resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private static boolean isShards(StatefulSet sts) {
        return sts.getMetadata().getLabels() != null
                && "shard".equals(sts.getMetadata().getLabels().get(Labels.COMPONENT));
    }

    private void gc(StatefulSet sts) {
        String prefix = sts.getMetadata().getName() + "-";
        client.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(prefix)
                        && p.getMetadata().getName().substring(prefix.length()).matches("[0-9]+"))
                .forEach(p -> client.resource(p).delete());
    }

    private void completeJob(Job job) {
        if (job.getStatus() != null
                && job.getStatus().getSucceeded() != null
                && job.getStatus().getSucceeded() > 0) {
            return;
        }
        ApiServerFixtures.succeedJob(client, ns, job.getMetadata().getName());
    }

    private void podDeleted(Pod pod) {
        if (crashOnce.remove(pod.getMetadata().getName())) {
            crashing.remove(pod.getMetadata().getName());
        }
        deletions.add(new Deletion(
                Instant.now(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                pod.getMetadata().getAnnotations() == null
                        ? null
                        : pod.getMetadata().getAnnotations().get(Annotations.POD_TEMPLATE_HASH)));
        String owner = pod.getMetadata().getOwnerReferences().isEmpty()
                ? null
                : pod.getMetadata().getOwnerReferences().get(0).getName();
        if (owner != null) {
            loop.schedule(
                    () -> guard(() -> {
                        StatefulSet sts = client.apps()
                                .statefulSets()
                                .inNamespace(ns)
                                .withName(owner)
                                .get();
                        if (sts != null) {
                            sync(sts);
                        }
                    }),
                    podStart.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    // ---- kubelet and bots ----

    private void kubelet(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        boolean crash = crashing.contains(pod.getMetadata().getName());
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
            writeStatus(pod, crash);
        }
        if (!crash && botsReady.test(pod) && started.add(uid)) {
            loop.schedule(() -> guard(() -> botsReport(pod)), identify.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void writeStatus(Pod pod, boolean crash) {
        String now = stamp(Instant.now());
        var container = new ContainerStatusBuilder()
                .withName("bot")
                .withImage("x")
                .withImageID("x")
                .withRestartCount(crash ? 3 : 0)
                .withReady(!crash)
                .withStarted(!crash);
        if (crash) {
            container
                    .withNewState()
                    .withNewWaiting()
                    .withReason("CrashLoopBackOff")
                    .endWaiting()
                    .endState();
        } else {
            container
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(now)
                    .endRunning()
                    .endState();
        }
        var status = new PodStatusBuilder()
                .withPhase("Running")
                .withConditions(new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus(crash ? "False" : "True")
                        .withLastTransitionTime(now)
                        .build())
                .withContainerStatuses(container.build())
                .build();
        try {
            client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).editStatus(p -> {
                if (!p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                    return p;
                }
                p.setStatus(status);
                return p;
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** The bot contract: Shards {@code <SHARD_NAME_PREFIX><id>} for ids in the pod's range, bot fields only. */
    private void botsReport(Pod pod) {
        Pod current = client.pods()
                .inNamespace(ns)
                .withName(pod.getMetadata().getName())
                .get();
        if (current == null
                || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())
                || current.getMetadata().getDeletionTimestamp() != null
                || crashing.contains(pod.getMetadata().getName())) {
            return;
        }
        Map<String, String> env = env(pod);
        int count = Integer.parseInt(env.get("SHARD_COUNT"));
        int perPod = Integer.parseInt(env.get("SHARDS_PER_POD"));
        String prefix = env.getOrDefault("SHARD_NAME_PREFIX", cluster + "-");
        String name = pod.getMetadata().getName();
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        Instant now = Instant.now();
        boolean waiting = standby.test(current);
        if (waiting) {
            inStandby.put(pod.getMetadata().getUid(), pod);
        }
        List<String> shards = new ArrayList<>();
        for (int id = ordinal * perPod; id < Math.min((ordinal + 1) * perPod, count); id++) {
            Shard patch = new Shard(ns, prefix + id, null);
            patch.setStatus(new ShardStatus(
                    null,
                    waiting ? ShardPhase.Standby : ShardPhase.Ready,
                    1000,
                    40L,
                    null,
                    null,
                    now.toString(),
                    now.toString(),
                    null,
                    null,
                    900,
                    1000));
            try {
                client.resource(patch).subresource("status").patch(BOT_APPLY);
                shards.add(prefix + id);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        if (!waiting) {
            readies.add(new Ready(now, name, pod.getMetadata().getUid(), shards));
        }
    }

    /** The bots in Standby resume their sessions: they report Ready. */
    void takeOver() {
        standby = p -> false;
        run(() -> {
            inStandby.values().forEach(p -> guard(() -> botsReport(p)));
            inStandby.clear();
        });
    }

    /** Bots of every current pod report a fresh heartbeat (no new session). */
    void heartbeat() {
        run(() -> {
            for (Shard s : client.resources(Shard.class).inNamespace(ns).list().getItems()) {
                if (s.getStatus() == null || s.getStatus().phase() != ShardPhase.Ready) {
                    continue;
                }
                Shard patch = new Shard(ns, s.getMetadata().getName(), null);
                patch.setStatus(new ShardStatus(
                        null,
                        ShardPhase.Ready,
                        1000,
                        40L,
                        null,
                        null,
                        s.getStatus().sessionStartedAt(),
                        Instant.now().toString(),
                        null,
                        null,
                        900,
                        1000));
                client.resource(patch).subresource("status").patch(BOT_APPLY);
            }
        });
    }

    private static Map<String, String> env(Pod pod) {
        Map<String, String> out = new HashMap<>();
        for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
            if (e.getValue() != null) {
                out.put(e.getName(), e.getValue());
            }
        }
        return out;
    }

    /** Pods currently present (not terminating), by name. */
    Map<String, Pod> pods() {
        Map<String, Pod> out = new TreeMap<>();
        client.pods().inNamespace(ns).withLabel(Labels.COMPONENT, "shard").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .forEach(p -> out.put(p.getMetadata().getName(), p));
        return out;
    }

    private void run(Runnable r) {
        loop.execute(() -> guard(r));
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("cluster simulator: " + e);
        }
    }

    private static String stamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                upsert.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                upsert.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                delete.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        loop.shutdownNow();
    }
}
