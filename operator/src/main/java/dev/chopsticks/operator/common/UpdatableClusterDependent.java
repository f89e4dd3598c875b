package dev.chopsticks.operator.common;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.Updater;

/** A dependent whose drift is reverted: JOSDK's SSA matcher compares the fields we manage and re-applies. */
public abstract class UpdatableClusterDependent<R extends HasMetadata> extends ClusterDependent<R>
        implements Updater<R, ChopsticksCluster> {

    protected UpdatableClusterDependent(Class<R> type) {
        super(type);
    }
}
