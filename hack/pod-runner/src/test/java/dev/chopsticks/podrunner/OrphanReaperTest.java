package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanReaperTest {
    @TempDir
    Path dir;

    @Test
    void killsWhatAPreviousRunnerLeftAndNothingElse() throws Exception {
        Path log = dir.resolve("ns/pod-0-uid.log");
        LocalProcess orphan = sleeper("pod-0", log);
        assertThat(LocalProcess.pidFileOf(log)).exists();
        // A recycled pid: this JVM's, with another start time. It must survive.
        Path recycled = dir.resolve("ns/pod-1-uid.log.pid");
        Files.writeString(recycled, ProcessHandle.current().pid() + " 12345 true\n");

        int killed = OrphanReaper.reap(dir.resolve("ns"));

        assertThat(killed).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !orphan.isAlive());
        assertThat(LocalProcess.pidFileOf(log)).doesNotExist();
        assertThat(recycled).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aStoppedProcessLeavesNoPidFile() throws Exception {
        Path log = dir.resolve("ns/pod-2-uid.log");
        LocalProcess process = sleeper("pod-2", log);

        process.stop(Duration.ofSeconds(5));

        assertThat(LocalProcess.pidFileOf(log)).doesNotExist();
        assertThat(OrphanReaper.reap(dir.resolve("ns"))).isZero();
    }

    private LocalProcess sleeper(String pod, Path log) throws IOException {
        return LocalProcess.start(
                new LaunchSpec(
                        new PodId("ns", pod, "uid"),
                        "c",
                        List.of("sleep", "300"),
                        Map.of("PATH", System.getenv("PATH")),
                        dir,
                        log,
                        1,
                        null,
                        3),
                1);
    }
}
