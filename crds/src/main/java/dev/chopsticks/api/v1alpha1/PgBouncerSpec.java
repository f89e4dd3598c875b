package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** PgBouncer in front of PostgreSQL; bots connect to it, migrations bypass it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "self.image.matches('" + SchemaLimits.IMAGE_REFERENCE + "')",
        message =
                "pgbouncer.image must be an image reference such as docker.io/edoburu/pgbouncer:v1.24.1-p1 (lower-case name, no spaces)",
        fieldPath = ".image",
        reason = "FieldValueForbidden")
public record PgBouncerSpec(
        @Default("true") @JsonPropertyDescription("Run PgBouncer. When false, bots connect to PostgreSQL directly.")
        Boolean enabled,

        @Default(DEFAULT_IMAGE)
        @Size(min = 1, max = 512)
        @JsonPropertyDescription(
                "PgBouncer container image; it must run pgbouncer with the ini file mounted at /etc/pgbouncer.")
        String image,

        @Default("2")
        @Min(1)
        @Max(20)
        @JsonPropertyDescription("PgBouncer replicas. Each opens up to defaultPoolSize server connections.")
        Integer replicas,

        @Default("transaction")
        @JsonPropertyDescription(
                "pool_mode: transaction (recommended, needs prepareThreshold=0 in the bot) or session.")
        PoolMode poolMode,

        @Default("25")
        @Min(1)
        @Max(SchemaLimits.POSTGRES_MAX_CONNECTIONS)
        @JsonPropertyDescription("default_pool_size: server connections per database/user pair and replica.")
        Integer defaultPoolSize,

        @Default("1000")
        @Min(1)
        @Max(100_000)
        @JsonPropertyDescription("max_client_conn: client connections each replica accepts (at most 100,000).")
        Integer maxClientConn,

        @JsonPropertyDescription("CPU and memory of each PgBouncer container.")
        ContainerResources resources) {

    public static final String DEFAULT_IMAGE = "docker.io/edoburu/pgbouncer:v1.24.1-p1";

    public PgBouncerSpec {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        image = image == null ? DEFAULT_IMAGE : image;
        replicas = replicas == null ? 2 : replicas;
        poolMode = poolMode == null ? PoolMode.TRANSACTION : poolMode;
        defaultPoolSize = defaultPoolSize == null ? 25 : defaultPoolSize;
        maxClientConn = maxClientConn == null ? 1000 : maxClientConn;
    }

    public static PgBouncerSpec defaults() {
        return new PgBouncerSpec(null, null, null, null, null, null, null);
    }
}
