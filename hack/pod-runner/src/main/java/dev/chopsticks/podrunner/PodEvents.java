package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on Pods, as the kubelet does (Warning CreateContainerConfigError, BackOff...). */
final class PodEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);
    static final String COMPONENT = "pod-runner";

    private final KubernetesClient client;

    PodEvents(KubernetesClient client) {
        this.client = client;
    }

    void warning(PodId pod, String reason, String message) {
        record(pod, "Warning", reason, message);
    }

    void normal(PodId pod, String reason, String message) {
        record(pod, "Normal", reason, message);
    }

    private void record(PodId pod, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(pod.namespace())
                .withName(pod.name() + "."
                        + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withNamespace(pod.namespace())
                        .withName(pod.name())
                        .withUid(pod.uid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(COMPONENT)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(pod.namespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: the log line already says the same.
            LOG.warn("could not record event {} on {}: {}", reason, pod, e.getMessage());
        }
    }
}
