package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.operator.common.Names;
import dev.chopsticks.operator.sharding.ShardPlan;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the pod side of each Shard's status ({@code shard: "3/8"}, {@code pod}, {@code restarts}) through the
 * status subresource with server-side apply under the operator's own status field manager, so the bot's fields
 * (phase, guilds, ping, heartbeat) are untouched. Patches only shards whose pod side differs: an unchanged cluster
 * costs no writes.
 */
public final class ShardStatusSync {
  public static final String FIELD_MANAGER = "chopsticks-operator-shard-status";
  private static final Logger LOG = LoggerFactory.getLogger(ShardStatusSync.class);

  private ShardStatusSync() {}

  /** The operator's part of a shard's status. */
  public record PodSide(String shard, String pod, Integer restarts) {
    ShardStatus toStatus() {
      return new ShardStatus(shard, null, null, null, pod, restarts, null, null, null, null);
    }

    static PodSide of(ShardStatus status) {
      return status == null ? new PodSide(null, null, null) : new PodSide(status.shard(), status.pod(), status.restarts());
    }
  }

  /** Pure: the pod side for one shard given the cluster's pods. Keeps the last restarts while the pod is away. */
  public static PodSide desired(ChopsticksCluster cluster, ShardPlan plan, Shard shard, Map<String, Pod> pods) {
    int id = shard.getSpec().shardId();
    String podName = Names.shardPod(cluster, plan.podOf(id));
    Pod pod = pods.get(podName);
    Integer previous = shard.getStatus() == null ? null : shard.getStatus().restarts();
    int restarts = pod != null ? ShardPods.restarts(pod) : previous == null ? 0 : previous;
    return new PodSide(plan.label(id), podName, restarts);
  }

  /** Patches the shards whose pod side is out of date; returns how many were patched. */
  public static int sync(KubernetesClient client, ChopsticksCluster cluster, ShardPlan plan, Collection<Shard> shards,
      Map<String, Pod> pods) {
    int patched = 0;
    for (Shard shard : shards) {
      if (shard.getSpec() == null || shard.getSpec().shardId() >= plan.shards()
          || shard.getSpec().shardCount() != plan.shards() || shard.getMetadata().getDeletionTimestamp() != null) {
        continue; // not (yet) part of the current plan
      }
      PodSide want = desired(cluster, plan, shard, pods);
      if (Objects.equals(want, PodSide.of(shard.getStatus()))) {
        continue;
      }
      Shard patch = new Shard(shard.getMetadata().getNamespace(), shard.getMetadata().getName(), null);
      patch.setStatus(want.toStatus());
      try {
        client.resource(patch).subresource("status").patch(new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(FIELD_MANAGER).withForce(true).build());
        patched++;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        LOG.debug("shard {} vanished before its status was written", shard.getMetadata().getName());
      }
    }
    return patched;
  }
}
