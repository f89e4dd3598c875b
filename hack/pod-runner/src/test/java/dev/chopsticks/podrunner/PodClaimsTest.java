package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodClaimsTest {
    @Test
    void aClaimNamesTheActorAndOnlyAsksForActorReadinessWhenTheActorWritesIt() {
        assertThat(PodClaims.running("pod-runner", true))
                .containsExactly(entry(PodClaims.RUN_BY, "pod-runner"), entry(PodClaims.READINESS, "actor"));
        assertThat(PodClaims.running("e2e-simulated-bots", false))
                .containsExactly(entry(PodClaims.RUN_BY, "e2e-simulated-bots"));
    }

    @Test
    void anExitCarriesTheCodeAsAnIntegerStringAndTheMessage() {
        assertThat(PodClaims.exited("pod-runner", 3, "exited with code 3"))
                .containsExactly(
                        entry(PodClaims.RUN_BY, "pod-runner"),
                        entry(PodClaims.EXIT_CODE, "3"),
                        entry(PodClaims.MESSAGE, "exited with code 3"));
    }

    /** The names here and in kwok's stages must not drift apart: the stages are what acts on them. */
    @Test
    void theKwokStagesUseTheseAnnotationsAndTheNoProcessReason() throws Exception {
        // surefire runs in the module directory
        String yaml = Files.readString(Path.of("../kwok/pod-stages.yaml"));
        for (String key : List.of(PodClaims.RUN_BY, PodClaims.READINESS, PodClaims.EXIT_CODE, PodClaims.MESSAGE)) {
            assertThat(yaml).contains("\"" + key + "\"");
        }
        assertThat(yaml)
                .contains("reason: " + PodClaims.NO_PROCESS)
                .contains("eq . \"" + PodClaims.ACTOR_READINESS + "\"");
    }
}
