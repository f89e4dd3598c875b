package dev.chopsticks.operator.rbac;

import static dev.chopsticks.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.operator.plan.ShardGeneration;
import dev.chopsticks.operator.plan.ShardPlan;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacTest {

    @Test
    void roleAllowsExactlyShardReadStatusPatchAndTheGenerationSwitch() {
        ShardPlan plan = ShardPlan.compute(16_000, null);
        var role = BotRole.desired(
                cluster(16_000), List.of(new ShardGeneration(1, plan), new ShardGeneration(2, plan.withLayout(3, 1))));
        assertThat(role.getMetadata().getName()).isEqualTo("chopsticks-bot");
        assertThat(role.getRules()).hasSize(3);
        PolicyRule read = role.getRules().get(0);
        assertThat(read.getApiGroups()).containsExactly("chopsticks.dev");
        assertThat(read.getResources()).containsExactly("shards");
        assertThat(read.getVerbs()).containsExactly("get");
        PolicyRule status = role.getRules().get(1);
        assertThat(status.getResources()).containsExactly("shards/status");
        assertThat(status.getVerbs()).containsExactly("get", "patch");
        assertThat(role.getRules().subList(0, 2))
                .as("this cluster's Shards only, of every live generation")
                .allSatisfy(r -> assertThat(r.getResourceNames())
                        .containsExactly(
                                "chopsticks-0",
                                "chopsticks-1",
                                "chopsticks-2",
                                "chopsticks-3",
                                "chopsticks-4",
                                "chopsticks-5",
                                "chopsticks-6",
                                "chopsticks-7",
                                "chopsticks-g2-0",
                                "chopsticks-g2-1",
                                "chopsticks-g2-2"));
        PolicyRule generation = role.getRules().get(2);
        assertThat(generation.getApiGroups()).containsExactly("");
        assertThat(generation.getResources()).containsExactly("configmaps");
        assertThat(generation.getResourceNames())
                .as("only the active-generation ConfigMap")
                .containsExactly("chopsticks-generation");
        assertThat(generation.getVerbs()).containsExactly("get", "list", "watch");
    }

    @Test
    void bindingTiesRoleToServiceAccount() {
        var c = cluster(16_000);
        var binding = BotRoleBinding.desired(c);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo("chopsticks-bot");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName())
                    .isEqualTo(BotServiceAccount.desired(c).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
        });
    }
}
