package dev.chopsticks.podrunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills processes a previous runner left behind: a runner killed with SIGKILL cannot stop its children, and a new
 * runner would otherwise start a second process for the same Pod (two bots logging in the same shards). Each
 * process has a {@code <log>.pid} file with its pid and start time; a live process with both matching is ours.
 */
final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private OrphanReaper() {}

    /** Kills the recorded processes still running under {@code dir} and removes their pid files. */
    static int reap(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> pidFiles;
        try (Stream<Path> files = Files.list(dir)) {
            pidFiles = files.filter(f -> f.getFileName().toString().endsWith(".log.pid"))
                    .toList();
        } catch (IOException e) {
            LOG.warn("could not list {}: {}", dir, e.toString());
            return 0;
        }
        int killed = 0;
        for (Path pidFile : pidFiles) {
            if (reapOne(pidFile)) {
                killed++;
            }
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", pidFile, e.toString());
            }
        }
        return killed;
    }

    private static boolean reapOne(Path pidFile) {
        String[] fields;
        try {
            fields = Files.readString(pidFile).trim().split(" ");
        } catch (IOException e) {
            return false;
        }
        if (fields.length < 3) {
            return false;
        }
        long pid = Long.parseLong(fields[0]);
        long startMillis = Long.parseLong(fields[1]);
        boolean ownGroup = Boolean.parseBoolean(fields[2]);
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        // The start time tells our process from an unrelated one that got the same pid since.
        boolean same = handle.flatMap(h -> h.info().startInstant())
                .map(start -> start.toEpochMilli() == startMillis)
                .orElse(false);
        if (!same) {
            return false;
        }
        LOG.warn("killing pid {} left behind by a previous pod-runner ({})", pid, pidFile);
        if (ownGroup) {
            ProcessGroups.signal(pid, "KILL");
        }
        handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
        handle.get().destroyForcibly();
        return true;
    }
}
