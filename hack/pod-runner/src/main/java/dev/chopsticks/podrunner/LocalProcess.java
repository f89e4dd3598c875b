package dev.chopsticks.podrunner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started process standing in for a container. It runs in its own session and process group (via
 * {@code setsid}), so that SIGKILL reaches everything it spawned, as killing a container's cgroup does; SIGTERM
 * goes to the main process only, as the kubelet sends it to the container's PID 1.
 */
final class LocalProcess {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Process process;
    private final boolean ownGroup;
    private final Instant startedAt;
    private final Path logFile;

    private LocalProcess(Process process, boolean ownGroup, Instant startedAt, Path logFile) {
        this.process = process;
        this.ownGroup = ownGroup;
        this.startedAt = startedAt;
        this.logFile = logFile;
    }

    /** Starts {@code spec}: a clean environment (only the spec's), output appended to its log file. */
    static LocalProcess start(LaunchSpec spec, int attempt) throws IOException {
        return start(spec, attempt, 0);
    }

    /** Starts {@code spec} at niceness {@code nice} (0: unchanged). */
    static LocalProcess start(LaunchSpec spec, int attempt, int nice) throws IOException {
        Files.createDirectories(spec.logFile().getParent());
        boolean ownGroup = Files.isExecutable(SETSID);
        List<String> command = new ArrayList<>();
        if (ownGroup) {
            // From the JVM the child is never a group leader, so setsid(1) calls setsid() and execs in place: the pid
            // we get is the program's, and also its process group id.
            command.add(SETSID.toString());
        }
        if (nice > 0) {
            command.addAll(List.of("nice", "-n", Integer.toString(nice))); // execs in place too: same pid
        }
        command.addAll(spec.argv());
        Instant now = Instant.now();
        Files.writeString(
                spec.logFile(),
                "----- pod-runner: start #" + attempt + " of " + spec.pod() + " at " + now + ", port " + spec.port()
                        + ": " + String.join(" ", spec.argv()) + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (spec.workingDir() != null) {
            builder.directory(spec.workingDir().toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(spec.env());
        LocalProcess started = new LocalProcess(builder.start(), ownGroup, now, spec.logFile());
        started.writePidFile();
        if (nice > 0 && ownGroup) {
            started.setAutogroupNice(nice);
        }
        return started;
    }

    /**
     * With the kernel's autogroup scheduling (sched_autogroup_enabled, the default on desktop and many server
     * kernels) each session, so each setsid'd process, is one scheduling group with an equal share of the CPU whatever
     * its threads' niceness: the group's own niceness is what ranks it against the others. Best effort.
     */
    void setAutogroupNice(int nice) {
        Path autogroup = Path.of("/proc/" + pid() + "/autogroup");
        // Only once setsid(1) ran: before that the child is still in the runner's session, and this would renice the
        // runner's own group instead.
        for (int i = 0; i < 200 && process.isAlive(); i++) {
            if (ownSession()) {
                try {
                    Files.writeString(autogroup, Integer.toString(nice));
                } catch (IOException e) {
                    // not permitted (raising priority needs CAP_SYS_NICE) or gone: thread niceness still applies
                }
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** CPU time the main process has used so far (all its threads), if the OS reports it. */
    Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    /** Whether the main process leads its own session (field 6 of /proc/PID/stat). */
    private boolean ownSession() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]) == pid();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Sets every thread of the main process to niceness 0 (Linux niceness is per thread, and threads created later
     * inherit their creator's). Best effort: false if {@code renice} failed.
     */
    boolean reniceToDefault() {
        setAutogroupNice(0);
        File[] tasks = new File("/proc/" + pid() + "/task").listFiles();
        if (tasks == null || tasks.length == 0) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", "0", "-p"));
        for (File task : tasks) {
            command.add(task.getName());
        }
        try {
            Process renice = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return renice.waitFor(10, TimeUnit.SECONDS) && renice.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code <log>.pid}: "pid startMillis", so that a runner killed with SIGKILL can be cleaned up after. */
    static Path pidFileOf(Path logFile) {
        return logFile.resolveSibling(logFile.getFileName() + ".pid");
    }

    private void writePidFile() {
        long startMillis = process.toHandle()
                .info()
                .startInstant()
                .map(Instant::toEpochMilli)
                .orElse(0L);
        try {
            Files.writeString(pidFileOf(logFile), pid() + " " + startMillis + " " + ownGroup + System.lineSeparator());
        } catch (IOException e) {
            // Only the clean-up after a SIGKILLed runner needs it: not worth failing the start for.
            LOG.warn("could not write {}: {}", pidFileOf(logFile), e.toString());
        }
    }

    long pid() {
        return process.pid();
    }

    Instant startedAt() {
        return startedAt;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Exit code, or -1 when still running. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * SIGTERM, up to {@code grace} for the process to exit, then SIGKILL to its whole group.
     *
     * @return true when the process exited within the grace period
     */
    boolean stop(Duration grace) {
        boolean graceful = true;
        if (process.isAlive()) {
            process.destroy();
            graceful = awaitExit(grace);
            if (!graceful) {
                LOG.warn("pid {} still running {} after SIGTERM: SIGKILL ({})", pid(), grace, logFile);
            }
        }
        killRest();
        return graceful;
    }

    /** Kills whatever is left of the process group, and the process itself if it still runs. */
    void killRest() {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (ownGroup) {
            signalGroup("KILL");
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
        try {
            Files.deleteIfExists(pidFileOf(logFile));
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", pidFileOf(logFile), e.toString());
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void signalGroup(String signal) {
        ProcessGroups.signal(pid(), signal);
    }
}
