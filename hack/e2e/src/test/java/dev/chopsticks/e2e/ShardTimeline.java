package dev.chopsticks.e2e;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardPhase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What happened to shard pods and Shards, as watched from the API server: every pod deletion (the moment it was
 * requested: pod-runner holds deleted pods Terminating until their process exited) and every new gateway session a
 * bot reported Ready in its Shard status. The real bots write the status themselves; nothing here writes.
 */
final class ShardTimeline implements AutoCloseable {
    record Deletion(Instant at, String pod, String uid, String templateHash) {}

    /** A shard reported phase Ready for the session started at {@code session}. */
    record Ready(Instant at, String shard, String session) {}

    final List<Deletion> deletions = new CopyOnWriteArrayList<>();
    final List<Ready> readies = new CopyOnWriteArrayList<>();
    private final Set<String> deletedUids = ConcurrentHashMap.newKeySet();
    private final Set<String> readySessions = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Shard> shards;

    ShardTimeline(KubernetesClient client, String namespace) {
        pods = client.pods()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/component", "shard")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        deleting(pod);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        deleting(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                        deleted(pod);
                    }
                });
        shards = client.resources(Shard.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Shard shard) {
                seen(shard);
            }

            @Override
            public void onUpdate(Shard old, Shard shard) {
                seen(shard);
            }

            @Override
            public void onDelete(Shard shard, boolean unknown) {}
        });
    }

    /** The Shard object a single-shard pod runs: {@code chopsticks-shards-5} -> {@code chopsticks-5}, g2 likewise. */
    static String shardOfPod(String pod) {
        return pod.replaceFirst("-shards-", "-");
    }

    private void deleting(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            deleted(pod);
        }
    }

    private void deleted(Pod pod) {
        if (deletedUids.add(pod.getMetadata().getUid())) {
            var annotations = pod.getMetadata().getAnnotations();
            deletions.add(new Deletion(
                    Instant.now(),
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid(),
                    annotations == null ? null : annotations.get("chopsticks.dev/pod-template-hash")));
        }
    }

    private void seen(Shard shard) {
        var status = shard.getStatus();
        if (status != null
                && status.phase() == ShardPhase.Ready
                && status.sessionStartedAt() != null
                && readySessions.add(shard.getMetadata().getName() + "@" + status.sessionStartedAt())) {
            readies.add(new Ready(Instant.now(), shard.getMetadata().getName(), status.sessionStartedAt()));
        }
    }

    /** Deletions after {@code from}, oldest first. */
    List<Deletion> deletionsAfter(Instant from) {
        return deletions.stream()
                .filter(d -> d.at().isAfter(from))
                .sorted(Comparator.comparing(Deletion::at))
                .toList();
    }

    /** The first Ready of the pod's shard after {@code after}. */
    Optional<Instant> readyAfter(String pod, Instant after) {
        String shard = shardOfPod(pod);
        return readies.stream()
                .filter(r -> r.shard().equals(shard) && r.at().isAfter(after))
                .map(Ready::at)
                .min(Comparator.naturalOrder());
    }

    /**
     * Whether {@code pod}'s shard was between processes at {@code at}: within {@code lead} before one of its deletions
     * after {@code from}, or after it and before its replacement reported Ready.
     */
    boolean betweenProcesses(String pod, Instant at, Instant from, Duration lead) {
        return deletionsAfter(from).stream()
                .filter(d -> d.pod().equals(pod))
                .anyMatch(d -> !at.isBefore(d.at().minus(lead))
                        && readyAfter(pod, d.at())
                                .map(ready -> !at.isAfter(ready))
                                .orElse(true));
    }

    /** Deletion to the replacement's shard Ready, for each deletion after {@code from} that has one. */
    List<Duration> podStarts(Instant from) {
        return deletionsAfter(from).stream()
                .flatMap(d -> readyAfter(d.pod(), d.at()).map(r -> Duration.between(d.at(), r)).stream())
                .sorted()
                .toList();
    }

    @Override
    public void close() {
        pods.close();
        shards.close();
    }
}
