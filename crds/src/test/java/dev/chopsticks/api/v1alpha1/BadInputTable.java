package dev.chopsticks.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes what the API server answered to each bad input as a Markdown table row, to
 * {@code target/bad-input-table.md}: the source of the table in docs/reliability.md.
 */
final class BadInputTable {
    private static final Path FILE = Path.of("target", "bad-input-table.md");

    private BadInputTable() {}

    /** Starts the table afresh, so that a second run in the same target/ does not repeat its rows. */
    static synchronized void reset() {
        try {
            Files.deleteIfExists(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized void record(String name, Status status) {
        String causes = status.getDetails() == null
                ? status.getMessage()
                : String.join(
                        "; ",
                        status.getDetails().getCauses().stream()
                                .map(c -> "`" + c.getField() + "`: " + c.getMessage())
                                .toList());
        String row = "| " + name + " | " + causes.replace("|", "\\|").replace("\n", " ") + " |\n";
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
