package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An extra environment variable for the bot: a literal value or a Secret key, never both. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.value) != has(self.secretKeyRef)",
        message = "env entries need exactly one of value or secretKeyRef")
public record EnvVarSpec(
        @Required @Pattern("^[A-Za-z_][A-Za-z0-9_]*$") @JsonPropertyDescription("Variable name.")
        String name,

        @JsonPropertyDescription("Literal value.") String value,

        @JsonPropertyDescription("Take the value from a Secret key instead.")
        SecretKeyRef secretKeyRef) {}
