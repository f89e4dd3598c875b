package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Base of the operator's dependents: created with server-side apply under the operator's field manager,
 * owner-referenced to the cluster (so deletion cascades and ArgoCD shows the tree), found by a fixed name so
 * JOSDK never computes the desired state just to find the actual resource. Subclasses that also implement
 * {@link io.javaoperatorsdk.operator.processing.dependent.Updater} (see {@link UpdatableClusterDependent}) have
 * drift reverted; the others are create-only.
 */
public abstract class ClusterDependent<R extends HasMetadata> extends KubernetesDependentResource<R, ChopsticksCluster>
        implements Creator<R, ChopsticksCluster>, GarbageCollected<ChopsticksCluster> {

    protected ClusterDependent(Class<R> type) {
        super(type);
    }

    /** Name of this dependent's resource for a cluster. */
    protected abstract String resourceName(ChopsticksCluster cluster, Context<ChopsticksCluster> context);

    @Override
    protected void addReferenceHandlingMetadata(R desired, ChopsticksCluster primary) {
        OwnerReferences.set(desired, primary);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ChopsticksCluster primary, Context<ChopsticksCluster> context) {
        return new ResourceID(
                resourceName(primary, context), primary.getMetadata().getNamespace());
    }
}
