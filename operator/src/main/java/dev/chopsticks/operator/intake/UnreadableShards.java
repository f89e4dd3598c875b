package dev.chopsticks.operator.intake;

import dev.chopsticks.api.v1alpha1.Shard;
import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Shards whose status reached the operator unreadable ({@link ClusterReading}: status null) although it was written:
 * their managed fields name a writer of the status subresource (a new Shard's status is null until its first write,
 * and that is no problem). Such a Shard counts as not Ready and, having no phase, is never diagnosed as a zombie;
 * the operator re-applies its own part of the status as usual, and the bot's next report replaces its part. This
 * class makes it visible: one Warning on the cluster naming the Shards and, for the first, the field and the reason
 * (found by one GET of it as plain JSON, read strictly, only while there is such a Shard). An unreadable spec is not
 * reported: the operator owns the spec and applies it again in the same reconcile.
 */
public final class UnreadableShards {
    private static final KubernetesSerialization STRICT = new KubernetesSerialization();
    private static final int MAX_NAMES = 5;
    private static final String AFTER = "; not counted as Ready and never restarted for it; the bot's next status"
            + " report replaces it (if it keeps coming back, the bots or the installed Shard CRD do not match the"
            + " operator: apply crds/)";

    private UnreadableShards() {}

    /** Pure: the names of the Shards with a written status that could not be read, in the given order. */
    public static List<String> names(Collection<Shard> shards) {
        return shards.stream()
                .filter(s -> s.getSpec() != null && s.getStatus() == null && statusWritten(s))
                .map(s -> s.getMetadata().getName())
                .toList();
    }

    /** The warning about these Shards, if any has an unreadable status. */
    public static Optional<Problem> check(Collection<Shard> shards, KubernetesClient client) {
        List<String> names = names(shards);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Shard first = shards.stream()
                .filter(s -> s.getMetadata().getName().equals(names.get(0)))
                .findFirst()
                .orElseThrow();
        GenericKubernetesResource raw = client.genericKubernetesResources(first.getApiVersion(), first.getKind())
                .inNamespace(first.getMetadata().getNamespace())
                .withName(first.getMetadata().getName())
                .get();
        return Optional.of(new Problem(EventReason.SHARD_UNREADABLE, message(names, describe(raw)) + AFTER));
    }

    static String message(List<String> names, String reason) {
        String listed = String.join(", ", names.subList(0, Math.min(MAX_NAMES, names.size())))
                + (names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "");
        return (names.size() == 1 ? "shard " : names.size() + " shards (")
                + listed
                + (names.size() == 1 ? ": " : "); " + names.get(0) + ": ")
                + reason;
    }

    static String describe(GenericKubernetesResource raw) {
        if (raw == null) {
            return "status could not be read when the operator received it (the Shard is gone now)";
        }
        try {
            STRICT.convertValue(raw, Shard.class);
            return "status could not be read when the operator received it";
        } catch (IllegalArgumentException e) {
            return UnreadableCluster.describe(e, "status");
        }
    }

    private static boolean statusWritten(Shard shard) {
        List<ManagedFieldsEntry> managed = shard.getMetadata().getManagedFields();
        return managed != null && managed.stream().anyMatch(m -> "status".equals(m.getSubresource()));
    }
}
