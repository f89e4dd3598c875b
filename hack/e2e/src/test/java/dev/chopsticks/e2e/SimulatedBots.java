package dev.chopsticks.e2e;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test-driven bots for kwok pods (which run no container): this is the actor that plays the shard pods' process, so it
 * claims each of them ({@link SimulatedPods}, {@code run-by: e2e-simulated-bots}) and kwok shows them Running; once a
 * shard pod is Running, its "bot" reports each of
 * its shards Ready {@code identify} later, as the bot contract of operator/README.md says (Shard
 * {@code <SHARD_NAME_PREFIX><id>}, absent prefix {@code <cluster>-}; field manager {@code chopsticks-bot}; a new
 * {@code sessionStartedAt} per session). Heartbeats are refreshed every few seconds. Records pod deletions (watch)
 * and Ready times for the assertions.
 */
final class SimulatedBots implements AutoCloseable {
    record Deletion(Instant at, String pod, String uid, String templateHash) {}

    record Ready(Instant at, String pod, String uid) {}

    private final KubernetesClient client;
    private final String ns;
    private final String cluster;
    private final Duration identify;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-bots");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Map<String, Pod> running = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;
    private SimulatedPods claims;

    final List<Deletion> deletions = new CopyOnWriteArrayList<>();
    final List<Ready> readies = new CopyOnWriteArrayList<>();
    /** Pods whose bots may report Ready. */
    volatile Predicate<Pod> healthy = p -> true;

    SimulatedBots(KubernetesClient client, String ns, String cluster, Duration identify) {
        this.client = client;
        this.ns = ns;
        this.cluster = cluster;
        this.identify = identify;
    }

    SimulatedBots start() {
        claims = SimulatedPods.running(client, ns, "shard", "e2e-simulated-bots");
        informer = client.pods()
                .inNamespace(ns)
                .withLabel("app.kubernetes.io/component", "shard")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        loop.execute(() -> seen(pod));
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod pod) {
                        loop.execute(() -> seen(pod));
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                        deletions.add(new Deletion(
                                Instant.now(),
                                pod.getMetadata().getName(),
                                pod.getMetadata().getUid(),
                                pod.getMetadata().getAnnotations() == null
                                        ? null
                                        : pod.getMetadata().getAnnotations().get("chopsticks.dev/pod-template-hash")));
                        running.remove(pod.getMetadata().getUid());
                    }
                });
        loop.scheduleAtFixedRate(this::heartbeats, 5, 5, TimeUnit.SECONDS);
        return this;
    }

    /** Re-evaluates {@link #healthy} for every running pod (after the test changed it). */
    void recheck() {
        loop.execute(() -> running.values().forEach(this::seen));
    }

    private void seen(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null
                || pod.getStatus() == null
                || !"Running".equals(pod.getStatus().getPhase())) {
            return;
        }
        running.put(pod.getMetadata().getUid(), pod);
        if (healthy.test(pod) && started.add(pod.getMetadata().getUid())) {
            loop.schedule(() -> report(pod), identify.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void report(Pod pod) {
        if (!running.containsKey(pod.getMetadata().getUid())) {
            return;
        }
        Instant now = Instant.now();
        for (String shard : shardsOf(pod)) {
            write(shard, now.toString(), now.toString());
        }
        readies.add(
                new Ready(now, pod.getMetadata().getName(), pod.getMetadata().getUid()));
    }

    private void heartbeats() {
        String now = Instant.now().toString();
        for (Pod pod : running.values()) {
            if (!started.contains(pod.getMetadata().getUid())) {
                continue;
            }
            for (String shard : shardsOf(pod)) {
                Shard s = client.resources(Shard.class)
                        .inNamespace(ns)
                        .withName(shard)
                        .get();
                if (s != null && s.getStatus() != null && s.getStatus().sessionStartedAt() != null) {
                    write(shard, s.getStatus().sessionStartedAt(), now);
                }
            }
        }
    }

    private void write(String shard, String session, String heartbeat) {
        Shard patch = new Shard(ns, shard, null);
        patch.setStatus(new ShardStatus(
                null, ShardPhase.Ready, 1000, 40L, null, null, session, heartbeat, null, null, 990, 1000));
        try {
            client.resource(patch)
                    .subresource("status")
                    .patch(new PatchContext.Builder()
                            .withPatchType(PatchType.SERVER_SIDE_APPLY)
                            .withFieldManager("chopsticks-bot")
                            .withForce(true)
                            .build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                System.err.println("simulated bot: " + shard + ": HTTP " + e.getCode());
            }
        }
    }

    private List<String> shardsOf(Pod pod) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            }
        }
        int count = Integer.parseInt(env.get("SHARD_COUNT"));
        int perPod = Integer.parseInt(env.get("SHARDS_PER_POD"));
        String prefix = env.getOrDefault("SHARD_NAME_PREFIX", cluster + "-");
        String name = pod.getMetadata().getName();
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        List<String> out = new ArrayList<>();
        for (int id = ordinal * perPod; id < Math.min((ordinal + 1) * perPod, count); id++) {
            out.add(prefix + id);
        }
        return out;
    }

    long deletionsOf(String pod) {
        return deletions.stream().filter(d -> d.pod().equals(pod)).count();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        if (claims != null) {
            claims.close();
        }
        loop.shutdownNow();
    }
}
