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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes Kubernetes Events about clusters (core/v1, so {@code kubectl describe} shows them), and
 * the one place that remembers what was told ({@link EventMemory}, forgotten when the cluster is deleted). Warnings
 * are de-duplicated per cluster and reason: the same message is recorded once until it changes or
 * {@link #clearWarningsExcept} says the problem is gone, so a Degraded cluster reconciled every minute does not write
 * an Event every minute. Announcements ({@code ShardsPlanned}, {@code RolloutStarted}, ...) keep what they announced
 * with {@link #remember}. Best effort: a failed Event write is logged, never fails the reconcile. Messages are built
 * by the operator from names and numbers, never from Secret data.
 */
public class EventRecorder {
    public static final String COMPONENT = "chopsticks-operator";
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final String WARNING_KEY = "warning/";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String instance;
    private final EventMemory memory = new EventMemory();
    private final AtomicLong sequence = new AtomicLong();

    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    public void normal(ChopsticksCluster cluster, EventReason reason, String message) {
        write(cluster, NORMAL, reason, message);
    }

    /**
     * Records a warning unless it repeats the last one recorded for this cluster and reason; returns whether it was
     * recorded (new or changed).
     */
    public boolean warning(ChopsticksCluster cluster, EventReason reason, String message) {
        Optional<Object> previous = memory.put(ResourceID.fromResource(cluster), WARNING_KEY + reason.value(), message);
        if (previous.equals(Optional.of(message))) {
            return false;
        }
        write(cluster, WARNING, reason, message);
        return true;
    }

    /** Every warning of the cluster is resolved, except the given reasons: if they come back they are recorded again. */
    public void clearWarningsExcept(ChopsticksCluster cluster, Set<EventReason> keep) {
        Set<String> kept = keep.stream().map(r -> WARNING_KEY + r.value()).collect(Collectors.toSet());
        memory.removeIf(ResourceID.fromResource(cluster), key -> key.startsWith(WARNING_KEY) && !kept.contains(key));
    }

    /** The memory key of a warning's last message (for {@link #remember}, when a warning is known to be told). */
    public static String warningKey(EventReason reason) {
        return WARNING_KEY + reason.value();
    }

    /** Remembers what was announced for the cluster under {@code key}; returns what was remembered before. */
    public Optional<Object> remember(ChopsticksCluster cluster, String key, Object announced) {
        return memory.put(ResourceID.fromResource(cluster), key, announced);
    }

    /** What was last announced for the cluster under {@code key}. */
    public <T> Optional<T> recall(ChopsticksCluster cluster, String key, Class<T> type) {
        return memory.get(ResourceID.fromResource(cluster), key, type);
    }

    /** The cluster is gone: a cluster created again under its name is announced afresh. */
    public void forget(ResourceID cluster) {
        memory.forget(cluster);
    }

    EventMemory memory() {
        return memory;
    }

    private void write(ChopsticksCluster cluster, String type, EventReason reason, String message) {
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
                .withReason(reason.value())
                .withMessage(text)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .withAction(reason.value())
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
