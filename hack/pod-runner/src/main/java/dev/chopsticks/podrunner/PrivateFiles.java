package dev.chopsticks.podrunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only the runner's user may read, for credentials. */
final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Writes {@code content} to {@code file} with mode 0600, replacing it at once: the file is created with that mode
     * (never readable by others, not even for a moment), and a reader (a client re-reading its kubeconfig) sees the
     * old content or the new one, never a partial write.
     */
    static void replace(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(
                file.getParent(),
                "." + file.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temp, content);
            // Same directory, so a rename(2): atomic, and it replaces the old file.
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
