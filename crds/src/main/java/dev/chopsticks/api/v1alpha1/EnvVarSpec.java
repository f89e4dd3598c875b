package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An extra environment variable for the bot: a literal value or a Secret key, never both. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.value) != has(self.secretKeyRef)",
        message = "env entries need exactly one of value or secretKeyRef",
        fieldPath = ".value",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "!(self.name in " + BotSpec.RESERVED_ENV + ")",
        messageExpression = "'bot.env must not set ' + self.name + ': the operator sets it from ' + "
                + BotSpec.RESERVED_ENV + "[self.name]",
        fieldPath = ".name",
        reason = "FieldValueForbidden")
@ValidationRule(
        value = "self.name.matches('^[A-Za-z_][A-Za-z0-9_]*$')",
        message = "env names must be letters, digits and '_', not starting with a digit",
        fieldPath = ".name",
        reason = "FieldValueForbidden")
public record EnvVarSpec(
        @Required @Size(min = 1, max = 128) @JsonPropertyDescription("Variable name.")
        String name,

        @Size(max = 32_768) @JsonPropertyDescription("Literal value.")
        String value,

        @JsonPropertyDescription("Take the value from a Secret key instead.")
        SecretKeyRef secretKeyRef) {}
