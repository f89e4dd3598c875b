package dev.chopsticks.e2e;

import dev.chopsticks.podrunner.PodClaims;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The e2e suite's explicit stand-in for processes the simulated cluster does not run: kwok shows a Pod Running only
 * once an actor claimed it ({@link PodClaims}), and completes a Job Pod only once an actor reported its exit code.
 * This one claims every scheduled Pod of one component in a namespace, under a name that says it is the test
 * ({@code kubectl get pod -o yaml} shows it in {@value PodClaims#RUN_BY}), either as running or as exited.
 */
final class SimulatedPods implements AutoCloseable {
    private final KubernetesClient client;
    private final String ns;
    private final String component;
    private final Map<String, String> annotations;
    private final ExecutorService claims;
    private SharedIndexInformer<Pod> informer;

    private SimulatedPods(KubernetesClient client, String ns, String component, Map<String, String> annotations) {
        this.client = client;
        this.ns = ns;
        this.component = component;
        this.annotations = annotations;
        // one virtual thread per claim: a StatefulSet recreating 16 pods at once gets them claimed in parallel, as
        // 16 kubelets would start them, not one after the other (rollout timings are asserted)
        this.claims = Executors.newVirtualThreadPerTaskExecutor();
    }

    /** Pods of {@code component} shown Running (and Ready) as if {@code actor} ran their process. */
    static SimulatedPods running(KubernetesClient client, String ns, String component, String actor) {
        return new SimulatedPods(client, ns, component, PodClaims.running(actor, false)).start();
    }

    /**
     * The operator's migration Job Pods "exit 0" without a process ran, for scenarios that test what follows the
     * migration, not the migration. {@code why} becomes the Pods' message, so the Job's Pod says what really happened.
     */
    static SimulatedPods migrations(KubernetesClient client, String ns, String why) {
        return new SimulatedPods(
                        client, ns, "migrations", PodClaims.exited("e2e-simulated-migrate", 0, "simulated: " + why))
                .start();
    }

    private SimulatedPods start() {
        informer = client.pods()
                .inNamespace(ns)
                .withLabel("app.kubernetes.io/component", component)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        seen(pod);
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod pod) {
                        seen(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {}
                });
        return this;
    }

    private void seen(Pod pod) {
        // Like a kubelet, only once the Pod is bound to a node; the informer's next update brings that.
        if (pod.getSpec().getNodeName() == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        if (PodClaims.has(pod, annotations)) {
            return;
        }
        claims.execute(() -> {
            try {
                PodClaims.annotate(client, pod, annotations);
            } catch (KubernetesClientException e) {
                // the next update of the Pod tries again
                System.err.println(
                        "simulated " + component + " pod " + pod.getMetadata().getName() + ": HTTP " + e.getCode());
            }
        });
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        claims.shutdownNow();
    }
}
