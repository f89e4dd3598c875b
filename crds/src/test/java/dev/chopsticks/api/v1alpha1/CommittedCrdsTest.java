package dev.chopsticks.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Drift check: the CRD YAML committed in crds/ and its copy in the Helm chart (charts/chopsticks-operator/crds/)
 * must be exactly what the Java types generate. With -Dcrds.update=true the test rewrites both instead, so neither
 * is ever edited by hand.
 */
class CommittedCrdsTest {
    private static final Path CHART_CRDS = GeneratedCrds.MODULE_DIR.resolve("../charts/chopsticks-operator/crds");
    private static final String HOW_TO_FIX = "run: mvn -pl crds verify -Dcrds.update=true";

    @Test
    void committedYamlMatchesTheJavaTypes() throws IOException {
        boolean update = Boolean.getBoolean("crds.update");
        for (Class<? extends CustomResource<?, ?>> kind : GeneratedCrds.KINDS) {
            String expected = GeneratedCrds.publish(kind);
            for (Path committed :
                    List.of(GeneratedCrds.committed(kind), CHART_CRDS.resolve(GeneratedCrds.fileName(kind)))) {
                if (update) {
                    Files.createDirectories(committed.getParent());
                    Files.writeString(committed, expected);
                }
                assertThat(committed)
                        .as("%s is missing; %s", committed, HOW_TO_FIX)
                        .exists();
                assertThat(Files.readString(committed))
                        .as("%s is out of date with the Java types; %s", committed, HOW_TO_FIX)
                        .isEqualTo(expected);
            }
        }
    }
}
