package dev.chopsticks.podrunner;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A snapshot of the process standing in for a Pod's container.
 *
 * @param pid the running process's id, or -1 when none runs (back-off, waiting for config, exited)
 * @param port the loopback port the process was told to listen on (via the port variable)
 * @param startedAt when the current (or last) process started; null before the first start
 * @param restarts how many times the process was restarted for this Pod UID
 * @param ready the last readiness poll's verdict (process running, when the container has no readiness probe)
 * @param lastExitCode the exit code of the previous process of this UID, or null
 */
public record ProcessInfo(
        PodId pod,
        ProcessState state,
        long pid,
        int port,
        Instant startedAt,
        int restarts,
        boolean ready,
        Integer lastExitCode,
        Path logFile) {

    public String uid() {
        return pod.uid();
    }

    public boolean running() {
        return state == ProcessState.RUNNING && pid > 0;
    }
}
