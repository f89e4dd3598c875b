package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** The dashboard: the bot image in dashboard mode, serving status and the internal API. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
        value = "!self.enabled || has(self.adminToken)",
        message = "dashboard.enabled needs dashboard.adminToken",
        fieldPath = ".adminToken",
        reason = "FieldValueRequired")
public record DashboardSpec(
        @Default("false") @JsonPropertyDescription("Run the dashboard Deployment.")
        Boolean enabled,

        @JsonPropertyDescription("Secret key holding the admin token that protects /api/internal/status, set as"
                + " ADMIN_TOKEN on the dashboard and on every shard pod (with or without the dashboard).")
        SecretKeyRef adminToken) {

    public DashboardSpec {
        enabled = enabled == null ? Boolean.FALSE : enabled;
    }

    public static DashboardSpec defaults() {
        return new DashboardSpec(null, null);
    }
}
