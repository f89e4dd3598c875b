package dev.chopsticks.operator.migrations;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Ready postcondition of {@link MigrationJob}: the current image's Job has succeeded. */
public class MigrationSucceeded implements Condition<Job, ChopsticksCluster> {

    @Override
    public boolean isMet(
            DependentResource<Job, ChopsticksCluster> dependentResource,
            ChopsticksCluster primary,
            Context<ChopsticksCluster> context) {
        return dependentResource
                .getSecondaryResource(primary, context)
                .map(job -> MigrationJob.state(job) == MigrationJob.State.SUCCEEDED)
                .orElse(false);
    }
}
