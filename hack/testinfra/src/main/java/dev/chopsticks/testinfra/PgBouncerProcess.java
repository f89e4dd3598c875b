package dev.chopsticks.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Real PgBouncer in transaction mode in front of a {@link PostgresProcess}, with SCRAM auth like production. */
public final class PgBouncerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private PgBouncerProcess(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static PgBouncerProcess start(PostgresProcess postgres, int poolSize) {
        Path dir = OsProcess.tempDir("chopsticks-pgbouncer-");
        int port = OsProcess.freePort();
        try {
            Files.writeString(
                    dir.resolve("userlist.txt"),
                    "\"" + PostgresProcess.USER + "\" \"" + PostgresProcess.PASSWORD + "\"\n");
            Files.writeString(dir.resolve("pgbouncer.ini"), """
                    [databases]
                    %s = host=127.0.0.1 port=%d dbname=%s
                    [pgbouncer]
                    listen_addr = 127.0.0.1
                    listen_port = %d
                    unix_socket_dir =
                    auth_type = scram-sha-256
                    auth_file = %s
                    pool_mode = transaction
                    default_pool_size = %d
                    max_client_conn = 500
                    ignore_startup_parameters = extra_float_digits,options
                    server_login_retry = 1
                    """.formatted(
                            PostgresProcess.DATABASE,
                            postgres.port(),
                            PostgresProcess.DATABASE,
                            port,
                            dir.resolve("userlist.txt"),
                            poolSize));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OsProcess.chownToServiceUser(dir);
        Process p = OsProcess.start(
                OsProcess.unprivileged(List.of(
                        "/usr/sbin/pgbouncer", dir.resolve("pgbouncer.ini").toString())),
                dir.resolve("pgbouncer.log"));
        PgBouncerProcess bouncer = new PgBouncerProcess(dir, port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close, "stop-pgbouncer"));
        OsProcess.awaitUp(
                "PgBouncer",
                port,
                p,
                dir.resolve("pgbouncer.log"),
                Duration.ofSeconds(30),
                Duration.ofMillis(50),
                () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    }
                });
        return bouncer;
    }

    public int port() {
        return port;
    }

    /** The production form: the bot talks to PgBouncer. */
    public String postgresUrl() {
        return "postgres://" + PostgresProcess.USER + ":" + PostgresProcess.PASSWORD + "@127.0.0.1:" + port + "/"
                + PostgresProcess.DATABASE;
    }

    @Override
    public void close() {
        OsProcess.stop(process);
        OsProcess.deleteRecursively(dir);
    }
}
