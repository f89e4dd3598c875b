package dev.chopsticks.operator;

import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.validation.Problem;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dependents that failed in the apply step, as a Degraded problem. The message names the dependent and the HTTP
 * status only: API error bodies can echo object content, and the objects include Secrets.
 */
final class ApplyErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyErrors.class);

    private ApplyErrors() {}

    static Optional<Problem> of(WorkflowReconcileResult result) {
        Map<DependentResource, Exception> errors = result.getErroredDependents();
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String message = errors.entrySet().stream()
                .map(e -> e.getKey().getClass().getSimpleName() + ": " + describe(e.getValue()))
                .sorted()
                .collect(Collectors.joining("; "));
        errors.forEach((dependent, e) ->
                LOG.warn("dependent {} failed: {}", dependent.getClass().getSimpleName(), describe(e)));
        return Optional.of(new Problem(EventReason.RECONCILE_ERROR, "could not apply " + message));
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                String reason = k.getStatus() == null ? null : k.getStatus().getReason();
                return "HTTP " + k.getCode() + (reason == null ? "" : " " + reason);
            }
        }
        return e.getClass().getSimpleName();
    }
}
