package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The controller owner reference every owned resource carries: deleting the cluster cascades (garbage collector),
 * {@code controller: true} marks the operator as the one managing it, and tools such as ArgoCD draw the tree.
 * (JOSDK's default reference has no controller flag.) {@code blockOwnerDeletion} needs update on
 * {@code chopsticksclusters/finalizers} where the OwnerReferencesPermissionEnforcement admission plugin is on.
 */
public final class OwnerReferences {
    private OwnerReferences() {}

    public static OwnerReference controllerOf(ChopsticksCluster cluster) {
        return new OwnerReferenceBuilder()
                .withApiVersion(cluster.getApiVersion())
                .withKind(cluster.getKind())
                .withName(cluster.getMetadata().getName())
                .withUid(cluster.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Sets the cluster as the controller owner (replacing any reference with the same uid). */
    public static void set(HasMetadata resource, ChopsticksCluster cluster) {
        List<OwnerReference> refs = new ArrayList<>(
                resource.getMetadata().getOwnerReferences() == null
                        ? List.of()
                        : resource.getMetadata().getOwnerReferences());
        refs.removeIf(r -> Objects.equals(r.getUid(), cluster.getMetadata().getUid()));
        refs.add(controllerOf(cluster));
        resource.getMetadata().setOwnerReferences(refs);
    }
}
