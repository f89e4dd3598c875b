package dev.chopsticks.podrunner;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start the process standing in for one container of one Pod incarnation.
 *
 * @param readinessPath the readiness probe's httpGet path, or null when the container has no such probe
 * @param readinessFailureThreshold consecutive failed polls before a ready process counts as not ready
 */
public record LaunchSpec(
        PodId pod,
        String containerName,
        List<String> argv,
        Map<String, String> env,
        Path workingDir,
        Path logFile,
        int port,
        String readinessPath,
        int readinessFailureThreshold) {

    public LaunchSpec {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }
}
