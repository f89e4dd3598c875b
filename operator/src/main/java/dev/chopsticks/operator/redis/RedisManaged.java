package dev.chopsticks.operator.redis;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import dev.chopsticks.api.v1alpha1.RedisMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Reconcile precondition: redis.mode is managed. When external the managed Redis is deleted. */
public class RedisManaged implements Condition<HasMetadata, ChopsticksCluster> {
    @Override
    public boolean isMet(
            DependentResource<HasMetadata, ChopsticksCluster> dependentResource,
            ChopsticksCluster primary,
            Context<ChopsticksCluster> context) {
        return primary.getSpec().redis().mode() == RedisMode.MANAGED;
    }
}
