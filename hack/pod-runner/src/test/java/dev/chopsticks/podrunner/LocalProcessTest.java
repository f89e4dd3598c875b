package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessTest {
    @TempDir
    Path dir;

    private LaunchSpec spec(String script) {
        return new LaunchSpec(
                new PodId("ns", "pod-0", "uid"),
                "bot",
                List.of("sh", "-c", script),
                Map.of("PATH", System.getenv("PATH"), "GREETING", "hello"),
                dir,
                dir.resolve("ns/pod-0-uid.log"),
                1,
                null,
                3);
    }

    @Test
    void sigtermReachesTheMainProcessAndSigkillTheRestOfItsGroup() throws Exception {
        LocalProcess process = LocalProcess.start(
                spec("trap 'echo got TERM; exit 0' TERM; sleep 300 & echo child=$! $GREETING; wait"), 1);
        long child = awaitChildPid(process);

        assertThat(processGroup(process.pid())).as("own process group").isEqualTo(process.pid());
        assertThat(processGroup(child)).isEqualTo(process.pid());

        boolean graceful = process.stop(Duration.ofSeconds(10));

        assertThat(graceful).isTrue();
        assertThat(process.exitCode()).isZero();
        assertThat(Files.readString(logOf())).contains("start #1 of ns/pod-0", "child=", "hello", "got TERM");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    /** startNice: the program itself runs niced (same pid), and every thread goes back to 0 on request. */
    @Test
    void aNicedProcessRunsNicedAndIsRenicedToZero() throws Exception {
        Path ours = Path.of("/proc/self/autogroup");
        String ourGroup = Files.exists(ours) ? Files.readString(ours) : null;
        LocalProcess process = LocalProcess.start(spec("echo child=0; sleep 300 & wait"), 1, 10);
        awaitChildPid(process);
        assertThat(nice(process.pid()))
                .as("niceness of the program, not of a wrapper")
                .isEqualTo(10);
        Path autogroup = Path.of("/proc/" + process.pid() + "/autogroup");
        if (Files.exists(autogroup)) { // kernels with autogroup scheduling: the session's group is niced too
            assertThat(Files.readString(autogroup)).endsWith("nice 10\n");
        }

        assertThat(process.reniceToDefault()).isTrue();
        assertThat(nice(process.pid())).isZero();
        if (Files.exists(autogroup)) {
            assertThat(Files.readString(autogroup)).endsWith("nice 0\n");
            assertThat(Files.readString(ours))
                    .as("the runner's own group is left alone")
                    .isEqualTo(ourGroup);
        }
        process.stop(Duration.ofSeconds(5));
    }

    /** Field 19 of /proc/PID/stat (after the parenthesised command name). */
    private static int nice(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
        LocalProcess process = LocalProcess.start(spec("trap '' TERM; echo child=0; while :; do sleep 1; done"), 1);
        awaitChildPid(process);

        long t0 = System.nanoTime();
        boolean graceful = process.stop(Duration.ofMillis(500));

        assertThat(graceful).isFalse();
        assertThat(process.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void environmentIsExactlyTheSpecs() throws Exception {
        LocalProcess process = LocalProcess.start(spec("env; echo child=0"), 1);
        awaitChildPid(process);
        process.process().waitFor();

        assertThat(Files.readAllLines(logOf()))
                .contains("GREETING=hello")
                .noneMatch(line -> line.startsWith("KUBECONFIG=") || line.startsWith("JAVA_HOME="));
    }

    private Path logOf() {
        return dir.resolve("ns/pod-0-uid.log");
    }

    private long awaitChildPid(LocalProcess process) {
        Pattern childLine = Pattern.compile("child=(\\d+)");
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            Matcher m = childLine.matcher(Files.exists(logOf()) ? Files.readString(logOf()) : "");
                            return m.find() ? Long.parseLong(m.group(1)) : null;
                        },
                        pid -> pid != null);
    }

    /** Field 5 of /proc/PID/stat (after the parenthesised command name). */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }
}
