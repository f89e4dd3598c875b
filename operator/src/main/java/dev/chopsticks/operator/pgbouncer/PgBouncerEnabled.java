package dev.chopsticks.operator.pgbouncer;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Reconcile precondition: pgbouncer.enabled. When false PgBouncer's resources are deleted. */
public class PgBouncerEnabled implements Condition<HasMetadata, ChopsticksCluster> {
    @Override
    public boolean isMet(
            DependentResource<HasMetadata, ChopsticksCluster> dependentResource,
            ChopsticksCluster primary,
            Context<ChopsticksCluster> context) {
        return primary.getSpec().pgbouncer().enabled();
    }
}
