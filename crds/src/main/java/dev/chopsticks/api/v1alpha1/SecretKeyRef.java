package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A key in a Secret of the cluster's namespace. Only the reference is stored; the value never leaves the Secret. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "self.name.matches('" + SchemaLimits.DNS_SUBDOMAIN + "')",
        message = "the Secret name must be a Secret name: lower-case letters, digits, '-' and '.', starting and ending"
                + " with a letter or digit",
        fieldPath = ".name",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "self.key.matches('^[-._a-zA-Z0-9]+$')",
        message = "the Secret key may hold only letters, digits, '-', '_' and '.'",
        fieldPath = ".key",
        reason = "FieldValueForbidden")
public record SecretKeyRef(
        @Required @Size(min = 1, max = 253) @JsonPropertyDescription("Name of the Secret.")
        String name,

        @Required @Size(min = 1, max = 253) @JsonPropertyDescription("Key inside the Secret.")
        String key) {}
