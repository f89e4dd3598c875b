package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Faults of the simulated cluster's control plane, made by {@code hack/sim-cluster.sh}: its state directory is the one
 * holding KUBECONFIG.
 */
final class ControlPlane {
    /** The API was unreachable from {@code stopped} (before kube-apiserver was stopped) to {@code back} (ready). */
    record Outage(Instant stopped, Instant back) {
        Duration length() {
            return Duration.between(stopped, back);
        }
    }

    private ControlPlane() {}

    /** Whether KUBECONFIG is a simulated cluster's (hack/sim-cluster.sh up), the only kind this class can fault. */
    static boolean isSimulated() {
        String kubeconfig = System.getenv("KUBECONFIG");
        return kubeconfig != null
                && Files.isDirectory(Path.of(kubeconfig).resolveSibling("pids"))
                && Files.exists(Path.of(kubeconfig).resolveSibling("ports.env"));
    }

    /** Stops kube-apiserver and etcd, waits {@code down}, starts both again and waits until the API is ready. */
    static Outage outage(Duration down) throws IOException, InterruptedException {
        Path state = Path.of(System.getenv("KUBECONFIG")).toAbsolutePath().getParent();
        Path log = E2eCluster.REPO.resolve("hack/e2e/target/control-plane-outage.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                        E2eCluster.REPO.resolve("hack/sim-cluster.sh").toString(),
                        "outage",
                        Long.toString(down.toSeconds()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("SIM_CLUSTER_DIR", state.toString());
        Instant stopped = Instant.now();
        Process p = builder.start();
        assertThat(p.waitFor(down.toSeconds() + 180, TimeUnit.SECONDS))
                .as("outage finished, see %s", log)
                .isTrue();
        assertThat(p.exitValue())
                .as("hack/sim-cluster.sh outage exit code, see %s", log)
                .isZero();
        return new Outage(stopped, Instant.now());
    }
}
