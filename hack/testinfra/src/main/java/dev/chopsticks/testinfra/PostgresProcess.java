package dev.chopsticks.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's package) in a temp dir on a free loopback port, run as the postgres user
 * when the tests run as root. Has a {@code chopsticks} database owned by a password-authenticated role.
 */
public final class PostgresProcess implements AutoCloseable {
    public static final String DATABASE = "chopsticks";
    public static final String USER = "chopsticks";
    public static final String PASSWORD = "chopsticks-test-pass";
    private static final String SUPERUSER_PASSWORD = "superuser-test-pass";

    private final Path dir;
    private final Path dataDir;
    private final Path binDir;
    private final int port;
    private Process process;

    private PostgresProcess(Path dir, Path binDir, int port) {
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.binDir = binDir;
        this.port = port;
    }

    public static PostgresProcess start() {
        PostgresProcess pg =
                new PostgresProcess(OsProcess.tempDir("chopsticks-pg-"), findBinDir(), OsProcess.freePort());
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "stop-postgres"));
        pg.initDb();
        pg.startServer();
        pg.createAppDatabase();
        return pg;
    }

    static Path findBinDir() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.max(Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .filter(Files::isDirectory)
                    .orElseThrow(() -> new IllegalStateException(
                            "no PostgreSQL under /usr/lib/postgresql: apt-get install postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL not installed: apt-get install postgresql", e);
        }
    }

    private void initDb() {
        Path pwFile = dir.resolve("pw");
        try {
            Files.writeString(pwFile, SUPERUSER_PASSWORD + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OsProcess.chownToServiceUser(dir);
        OsProcess.run(OsProcess.unprivileged(List.of(
                binDir.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-U",
                "postgres",
                "--pwfile=" + pwFile,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync")));
    }

    /** Starts (or restarts after {@link #stop()}) on the same port and data dir. */
    public synchronized void startServer() {
        if (process != null && process.isAlive()) {
            return;
        }
        // Durability off: these are throwaway test clusters and the suite must be fast.
        process = OsProcess.start(
                OsProcess.unprivileged(Arrays.asList(
                        binDir.resolve("postgres").toString(),
                        "-D",
                        dataDir.toString(),
                        "-p",
                        Integer.toString(port),
                        "-k",
                        dir.toString(),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "full_page_writes=off",
                        "-c",
                        "max_connections=100",
                        "-c",
                        "shared_buffers=32MB")),
                dir.resolve("postgres.log"));
        OsProcess.awaitUp(
                "PostgreSQL",
                port,
                process,
                dir.resolve("postgres.log"),
                Duration.ofSeconds(60),
                Duration.ofMillis(50),
                () -> {
                    try (Connection c = superuser("postgres")) {
                        return c.isValid(1);
                    }
                });
    }

    /** Fast shutdown (SIGINT): connections are cut, as when a database host goes away. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        OsProcess.run(List.of("kill", "-INT", Long.toString(process.pid())));
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    private void createAppDatabase() {
        try (Connection c = superuser("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
    }

    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", SUPERUSER_PASSWORD);
    }

    public int port() {
        return port;
    }

    /** The guide's URL form, direct to PostgreSQL (for migrations). */
    public String postgresUrl() {
        return "postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public synchronized void close() {
        OsProcess.stop(process);
        OsProcess.deleteRecursively(dir);
    }
}
