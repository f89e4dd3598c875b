package dev.chopsticks.operator.shards;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.operator.common.Component;
import dev.chopsticks.operator.common.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardExtrasTest {

    @Test
    void headlessService() {
        var svc = ShardService.desired(cluster(16_000));
        assertThat(svc.getMetadata().getName()).isEqualTo("chopsticks-shards");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "shard");
        assertThat(svc.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
    }

    @Test
    void disruptionBudgetAllowsOneShardPodDown() {
        var pdb = ShardDisruptionBudget.desired(cluster(16_000));
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .containsEntry(Labels.COMPONENT, "shard")
                .containsEntry(Labels.INSTANCE, NAME);
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorScrapesShardMetrics() {
        var sm = ShardServiceMonitor.desired(cluster(16_000));
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
        var spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
        var endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("port", "http").containsEntry("path", "/metrics");
        });
        assertThat(((Map<String, Object>) spec.get("selector")).get("matchLabels"))
                .isEqualTo(Labels.selector(cluster(16_000), Component.SHARD));
    }
}
