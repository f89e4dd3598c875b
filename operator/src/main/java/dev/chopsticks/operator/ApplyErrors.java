package dev.chopsticks.operator;

import dev.chopsticks.operator.events.EventReason;
import dev.chopsticks.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dependents that failed in the apply step, as a Degraded problem: the dependent, the HTTP status and what the API
 * server said, field by field ({@code spec.template.spec.containers[0].resources.requests[cpu]: FieldValueInvalid:
 * Invalid value: quantities must match ...}). Values are never repeated: the API server quotes the value it refused
 * ({@code Invalid value: "..."}), and what the operator applies carries data from the user's Secrets, so quoted
 * values are cut out, and for a Secret only the fields and reasons are kept.
 */
final class ApplyErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyErrors.class);
    /** A quoted value in an API server message: {@code "..."} with escapes. */
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private static final Pattern QUOTED_VALUE =
            Pattern.compile("(Invalid value|Unsupported value): (?:" + QUOTED + "|[^\"][^:]*?(?=: |$))");
    private static final int MAX_DETAIL = 600;

    private ApplyErrors() {}

    static Optional<Problem> of(WorkflowReconcileResult result) {
        Map<DependentResource, Exception> errors = result.getErroredDependents();
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String message = errors.entrySet().stream()
                .map(e -> e.getKey().getClass().getSimpleName() + ": "
                        + describe(e.getValue(), Secret.class.equals(e.getKey().resourceType())))
                .sorted()
                .collect(Collectors.joining("; "));
        errors.forEach((dependent, e) -> LOG.warn(
                "dependent {} failed: {}",
                dependent.getClass().getSimpleName(),
                describe(e, Secret.class.equals(dependent.resourceType()))));
        return Optional.of(new Problem(EventReason.RECONCILE_ERROR, "could not apply " + message));
    }

    /**
     * @param secret the failed object is a Secret: only fields and reasons, never a message
     */
    static String describe(Throwable e, boolean secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                Status status = k.getStatus();
                String reason = status == null || status.getReason() == null ? "" : " " + status.getReason();
                return bounded("HTTP " + k.getCode() + reason + detail(status, secret));
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String detail(Status status, boolean secret) {
        if (status == null) {
            return "";
        }
        List<StatusCause> causes =
                status.getDetails() == null || status.getDetails().getCauses() == null
                        ? List.of()
                        : status.getDetails().getCauses();
        if (!causes.isEmpty()) {
            return ": " + causes.stream().map(c -> cause(c, secret)).distinct().collect(Collectors.joining(", "));
        }
        return secret || status.getMessage() == null ? "" : ": " + withoutValues(status.getMessage());
    }

    private static String cause(StatusCause c, boolean secret) {
        String field = c.getField() == null ? "" : c.getField() + ": ";
        String reason = c.getReason() == null ? "" : c.getReason();
        if (secret || c.getMessage() == null) {
            return field + reason;
        }
        return field + (reason.isEmpty() ? "" : reason + ": ") + withoutValues(c.getMessage());
    }

    /** The API server's words with the values it quotes cut out. */
    static String withoutValues(String message) {
        String out = QUOTED_VALUE.matcher(message).replaceAll("$1");
        return out.lines().findFirst().orElse("");
    }

    private static String bounded(String s) {
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }
}
