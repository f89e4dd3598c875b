package dev.chopsticks.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Drift check: the CRD YAML committed in crds/ must be exactly what the Java types generate. With
 * -Dcrds.update=true the test rewrites the files instead (and the chart's copy, when the chart exists).
 */
class CommittedCrdsTest {

  @Test
  void committedYamlMatchesTheJavaTypes() throws IOException {
    boolean update = Boolean.getBoolean("crds.update");
    for (Class<? extends CustomResource<?, ?>> kind : GeneratedCrds.KINDS) {
      String expected = GeneratedCrds.publish(kind);
      Path committed = GeneratedCrds.committed(kind);
      if (update) {
        Files.writeString(committed, expected);
      }
      assertThat(committed)
          .as("%s is out of date with the Java types; run: mvn -pl crds verify -Dcrds.update=true", committed)
          .exists();
      assertThat(Files.readString(committed))
          .as("%s is out of date with the Java types; run: mvn -pl crds verify -Dcrds.update=true", committed)
          .isEqualTo(expected);
    }
  }
}
