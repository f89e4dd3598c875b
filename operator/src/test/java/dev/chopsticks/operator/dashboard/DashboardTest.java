package dev.chopsticks.operator.dashboard;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class DashboardTest {

    @Test
    void dashboardModeWithAdminTokenFromSecret() {
        var c = cluster(withDashboard(spec(16_000)));
        var d = DashboardDeployment.desired(c);
        assertThat(d.getMetadata().getName()).isEqualTo("chopsticks-dashboard");
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getArgs()).containsExactly("dashboard");
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ADMIN_TOKEN");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(ADMIN_SECRET);
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        });
        assertThat(container.getEnv()).noneSatisfy(e -> assertThat(e.getName()).isEqualTo("DISCORD_TOKEN"));
        assertThat(Serialization.asJson(d)).doesNotContain(ADMIN_TOKEN);
        var svc = DashboardService.desired(c);
        assertThat(svc.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "dashboard");
    }
}
