package dev.chopsticks.podrunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signals a whole process group: Java can only signal single processes, kill(1) can do groups. */
final class ProcessGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);
    private static final Path KILL = Path.of("/usr/bin/kill");

    private ProcessGroups() {}

    /** {@code kill -s SIGNAL -- -PGID}; an empty group fails harmlessly ("no such process"). */
    static void signal(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder(KILL.toString(), "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("could not signal process group {}: {}", pgid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
