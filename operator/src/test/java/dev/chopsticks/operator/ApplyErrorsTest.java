package dev.chopsticks.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/**
 * The API server's refusal, as the apply step reports it. The Status objects are the ones kube-apiserver 1.34 sends
 * (copied from its answers in IsolationIT); the end-to-end path is covered there.
 */
class ApplyErrorsTest {
    static KubernetesClientException refused(Status status) {
        return new KubernetesClientException(status);
    }

    static Status invalidStatefulSet() {
        return new StatusBuilder()
                .withCode(422)
                .withReason("Invalid")
                .withMessage("StatefulSet.apps \"chopsticks-shards\" is invalid: spec.template.spec.containers[0]"
                        + ".resources.requests[cpu]: Invalid value: \"lots\": must be a quantity")
                .withNewDetails()
                .withName("chopsticks-shards")
                .withKind("StatefulSet")
                .addNewCause()
                .withField("spec.template.spec.containers[0].resources.requests[cpu]")
                .withReason("FieldValueInvalid")
                .withMessage("Invalid value: \"lots\": quantities must match the regular expression"
                        + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
                .endCause()
                .endDetails()
                .build();
    }

    @Test
    void theFieldAndTheRuleReachTheMessageButNotTheValue() {
        String d = ApplyErrors.describe(refused(invalidStatefulSet()), false);
        assertThat(d)
                .isEqualTo("HTTP 422 Invalid: spec.template.spec.containers[0].resources.requests[cpu]:"
                        + " FieldValueInvalid: Invalid value: quantities must match the regular expression"
                        + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
                .doesNotContain("lots");
    }

    @Test
    void forASecretOnlyFieldsAndReasons() {
        Status status = new StatusBuilder()
                .withCode(422)
                .withReason("Invalid")
                .withMessage(
                        "Secret \"x\" is invalid: data[pass word]: Invalid value: \"pass word\": a valid config key")
                .withNewDetails()
                .addNewCause()
                .withField("data[pass word]")
                .withReason("FieldValueInvalid")
                .withMessage(
                        "Invalid value: \"pass word\": a valid config key must consist of alphanumeric" + " characters")
                .endCause()
                .endDetails()
                .build();
        assertThat(ApplyErrors.describe(refused(status), true))
                .isEqualTo("HTTP 422 Invalid: data[pass word]: FieldValueInvalid");
    }

    @Test
    void withoutCausesTheMessageWithoutQuotedValues() {
        Status status = new StatusBuilder()
                .withCode(500)
                .withReason("InternalError")
                .withMessage("failed to create typed patch object: .spec.replicas: Invalid value: 70: too many")
                .build();
        assertThat(ApplyErrors.describe(refused(status), false))
                .isEqualTo("HTTP 500 InternalError: failed to create typed patch object: .spec.replicas: Invalid"
                        + " value: too many");
        assertThat(ApplyErrors.describe(refused(status), true)).isEqualTo("HTTP 500 InternalError");
    }

    @Test
    void anythingElseIsItsClassName() {
        assertThat(ApplyErrors.describe(new IllegalStateException("secret-ish"), false))
                .isEqualTo("IllegalStateException");
    }
}
