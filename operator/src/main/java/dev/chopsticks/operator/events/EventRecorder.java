package dev.chopsticks.operator.events;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes Kubernetes Events about clusters (core/v1, so {@code kubectl describe} shows them).
 * Warnings are de-duplicated per cluster and reason: the same message is recorded once until it changes or
 * {@link #clearWarning} says the problem is gone, so a Degraded cluster reconciled every minute does not write
 * an Event every minute. Best effort: a failed Event write is logged, never fails the reconcile. Messages are
 * built by the operator from names and numbers, never from Secret data.
 */
public class EventRecorder {
    public static final String COMPONENT = "chopsticks-operator";
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    // Reasons
    public static final String SHARDS_PLANNED = "ShardsPlanned";
    public static final String SHARDS_SCALED = "ShardsScaled";
    public static final String SHARD_OVERRIDE_IGNORED = "ShardOverrideIgnored";
    public static final String MIGRATION_STARTED = "MigrationStarted";
    public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
    public static final String MIGRATION_FAILED = "MigrationFailed";
    public static final String RECONCILE_ERROR = "ReconcileError";
    public static final String RECONCILE_PAUSED = "ReconcilePaused";
    public static final String RESTART_AT_INVALID = "RestartAtInvalid";
    public static final String ROLLOUT_STARTED = "RolloutStarted";
    public static final String ROLLOUT_STEP = "RolloutStep";
    public static final String ROLLOUT_COMPLETED = "RolloutCompleted";
    public static final String ROLLOUT_HALTED = "RolloutHalted";
    public static final String SHARD_RESPAWNED = "ShardRespawned";
    public static final String RESTART_CAP_REACHED = "RestartCapReached";
    public static final String IDENTIFY_BUDGET_LOW = "IdentifyBudgetLow";
    public static final String RESHARD_STARTED = "ReshardStarted";
    public static final String RESHARD_SWITCHED = "ReshardSwitched";
    public static final String GENERATION_RETIRED = "GenerationRetired";

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String instance;
    private final Map<ResourceID, Map<String, String>> lastWarning = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    public void normal(ChopsticksCluster cluster, String reason, String message) {
        write(cluster, NORMAL, reason, message);
    }

    /** Records a warning unless it repeats the last one recorded for this cluster and reason. */
    public void warning(ChopsticksCluster cluster, String reason, String message) {
        String previous = lastWarning
                .computeIfAbsent(ResourceID.fromResource(cluster), k -> new ConcurrentHashMap<>())
                .put(reason, message);
        if (!Objects.equals(previous, message)) {
            write(cluster, WARNING, reason, message);
        }
    }

    /** These warnings are resolved: if they come back they are recorded again. */
    public void clearWarning(ChopsticksCluster cluster, String... reasons) {
        Map<String, String> m = lastWarning.get(ResourceID.fromResource(cluster));
        if (m != null) {
            for (String r : reasons) {
                m.remove(r);
            }
        }
    }

    /** Every warning of the cluster is resolved, except the given reasons. */
    public void clearWarningsExcept(ChopsticksCluster cluster, Set<String> keep) {
        Map<String, String> m = lastWarning.get(ResourceID.fromResource(cluster));
        if (m != null) {
            m.keySet().removeIf(r -> !keep.contains(r));
        }
    }

    /** The cluster is gone. */
    public void forget(ResourceID cluster) {
        lastWarning.remove(cluster);
    }

    private void write(ChopsticksCluster cluster, String type, String reason, String message) {
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        Instant now = Instant.now();
        String ts = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        var meta = cluster.getMetadata();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(meta.getName() + "."
                        + Long.toHexString(now.toEpochMilli() * 1000 + sequence.incrementAndGet() % 1000))
                .withNamespace(meta.getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(cluster.getApiVersion())
                .withKind(cluster.getKind())
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withUid(meta.getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(text)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .withAction(reason)
                .withFirstTimestamp(ts)
                .withLastTimestamp(ts)
                .withCount(1)
                .build();
        LOG.info("event {} {} on {}/{}: {}", type, reason, meta.getNamespace(), meta.getName(), text);
        try {
            client.v1()
                    .events()
                    .inNamespace(meta.getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not record event {} on {}/{}: HTTP {}",
                    reason,
                    meta.getNamespace(),
                    meta.getName(),
                    e.getCode());
        }
    }
}
