package dev.chopsticks.local;

import dev.chopsticks.bot.lifecycle.Teardown;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** PostgreSQL and Redis for local mode, started when no URL is given; {@code teardown} stops them on exit. */
final class LocalServices {
    private LocalServices() {}

    /** An embedded PostgreSQL (zonky, linux-amd64 binaries in the jar); returns its postgres:// URL. */
    static String startPostgres(Teardown teardown) throws IOException {
        if (isRoot()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root: run local mode as a normal user,"
                    + " or set POSTGRES_URL to an existing database");
        }
        EmbeddedPostgres pg = teardown.add(
                "embedded PostgreSQL",
                EmbeddedPostgres.builder().setPort(freePort()).start());
        return "postgres://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres";
    }

    /** A redis-server child process if one is on the PATH; empty means the bot runs without L2. */
    static Optional<String> startRedisIfAvailable(Teardown teardown) throws IOException, InterruptedException {
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
        teardown.add("redis-server", () -> {
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
}
