package dev.chopsticks.testinfra;

import static org.awaitility.Awaitility.await;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers for the real-process test services: unprivileged execution, free ports, temp dirs, cleanup. */
public final class OsProcess {
    public static final String SERVICE_USER = "postgres";

    private OsProcess() {}

    public static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** PostgreSQL and PgBouncer refuse to run as root: drop to the postgres user (exec, no extra parent process). */
    public static List<String> unprivileged(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(
                List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            chownToServiceUser(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void chownToServiceUser(Path path) {
        if (isRoot()) {
            run(List.of("chown", "-R", SERVICE_USER + ":" + SERVICE_USER, path.toString()));
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a short command to completion; fails with its output if it exits non-zero. */
    public static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + command + "\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Process start(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code up} answers true (exceptions count as not yet); fails with the tail of {@code log} once the
     * process has exited instead.
     */
    public static void awaitUp(
            String service, int port, Process p, Path log, Duration atMost, Duration poll, Callable<Boolean> up) {
        await(service + " on port " + port)
                .atMost(atMost)
                .pollInterval(poll)
                .ignoreExceptions()
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError(service + " exited:\n" + tail(log));
                    }
                    return up.call();
                });
    }

    public static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp files
        }
    }

    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
