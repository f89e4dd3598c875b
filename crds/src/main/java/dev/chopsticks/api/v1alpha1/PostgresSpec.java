package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The PostgreSQL database. The Secret uses the keys host, port, dbname, user and password (the layout
 * CloudNativePG writes for its app secret), so such a secret can be referenced as it is.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "self.connectionSecret.matches('" + SchemaLimits.DNS_SUBDOMAIN + "')",
        message =
                "postgres.connectionSecret must be a Secret name: lower-case letters, digits, '-' and '.', starting and ending"
                        + " with a letter or digit",
        fieldPath = ".connectionSecret",
        reason = "FieldValueForbidden")
public record PostgresSpec(
        @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Secret with keys host, port, dbname, user, password.")
        String connectionSecret,

        @Default("200")
        @Min(1)
        @Max(SchemaLimits.POSTGRES_MAX_CONNECTIONS)
        @JsonPropertyDescription("The server's max_connections; PgBouncer's pool budget must fit under it.")
        Integer maxConnections) {

    public PostgresSpec {
        maxConnections = maxConnections == null ? 200 : maxConnections;
    }
}
