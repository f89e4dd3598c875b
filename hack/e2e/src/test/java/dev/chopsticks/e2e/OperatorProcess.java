package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The operator from the build (operator/target/chopsticks-operator.jar) as a real process against KUBECONFIG. */
final class OperatorProcess implements AutoCloseable {
    private final String identity;
    private final Process process;
    private final Path log;

    private OperatorProcess(String identity, Process process, Path log) {
        this.identity = identity;
        this.process = process;
        this.log = log;
    }

    static OperatorProcess start(String identity, String namespace, int httpPort) throws IOException {
        Path jar = E2eCluster.REPO.resolve("operator/target/chopsticks-operator.jar");
        assertThat(jar)
                .as("operator jar (build it: mvn -pl operator -am package)")
                .exists();
        Path logDir = E2eCluster.REPO.resolve("hack/e2e/target/operator-logs");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(identity + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment()
                .putAll(Map.of(
                        "POD_NAME", identity,
                        "WATCH_NAMESPACES", namespace,
                        "LEADER_ELECTION_NAMESPACE", namespace,
                        "OPERATOR_HTTP_PORT", Integer.toString(httpPort),
                        "LOG_FORMAT", "text"));
        return new OperatorProcess(identity, builder.start(), log);
    }

    String identity() {
        return identity;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Waits until the process exits, whoever ended it; returns its exit code. */
    int awaitExit() throws InterruptedException {
        return process.waitFor();
    }

    /** Like a node failure: no graceful release of the Lease. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
