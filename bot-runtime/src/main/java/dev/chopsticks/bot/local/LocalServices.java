package dev.chopsticks.bot.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** PostgreSQL and Redis for local mode: started here when no URL is given, stopped on exit. */
final class LocalServices implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();

    /** An embedded PostgreSQL (zonky, linux-amd64 binaries in the jar); returns its postgres:// URL. */
    String startPostgres() throws IOException {
        if (isRoot()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root: run local mode as a normal user,"
                    + " or set POSTGRES_URL to an existing database");
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(freePort()).start();
        started.add(pg);
        return "postgres://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres";
    }

    /** A redis-server child process if one is on the PATH; empty means the bot runs without L2. */
    Optional<String> startRedisIfAvailable() throws IOException, InterruptedException {
        Optional<Path> binary = onPath("redis-server");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        int port = freePort();
        Process redis = new ProcessBuilder(
                        binary.get().toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(() -> {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && redis.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return Optional.of("redis://127.0.0.1:" + port);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return Optional.empty();
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception ignored) {
                // best effort on exit
            }
        }
    }
}
