package dev.chopsticks.operator.shards;

import dev.chopsticks.api.v1alpha1.ChopsticksCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Activation condition of {@link ShardServiceMonitor}: the {@code servicemonitors.monitoring.coreos.com} CRD exists.
 * Checked at most once a minute (a GET on the CRD; the operator needs {@code get} on customresourcedefinitions,
 * and a 403 counts as absent).
 */
public class ServiceMonitorCrdPresent implements Condition<ServiceMonitorResource, ChopsticksCluster> {

    static final Duration RECHECK = Duration.ofMinutes(1);
    /** Per instance: JOSDK creates one condition per controller, so each operator has its own answer. */
    private final AtomicReference<Check> last = new AtomicReference<>();

    private record Check(boolean present, Instant at) {}

    @Override
    public boolean isMet(
            DependentResource<ServiceMonitorResource, ChopsticksCluster> dependentResource,
            ChopsticksCluster primary,
            Context<ChopsticksCluster> context) {
        return present(context.getClient());
    }

    boolean present(KubernetesClient client) {
        Check previous = last.get();
        Instant now = Instant.now();
        if (previous != null && previous.at().plus(RECHECK).isAfter(now)) {
            return previous.present();
        }
        boolean present;
        try {
            present = client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(ShardServiceMonitor.CRD_NAME)
                            .get()
                    != null;
        } catch (KubernetesClientException e) {
            present = false;
        }
        last.set(new Check(present, now));
        return present;
    }
}
