package dev.chopsticks.testinfra;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server on a free loopback port; can be killed and restarted on the same port mid-test. Optionally with
 * a password ({@code requirepass}), as the operator's managed Redis runs.
 */
public final class RedisProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final boolean clusterNode;
    private final String password;
    private Process process;

    private RedisProcess(Path dir, int port, boolean clusterNode, String password) {
        this.dir = dir;
        this.port = port;
        this.clusterNode = clusterNode;
        this.password = password;
    }

    public static RedisProcess start() {
        return start(false, null);
    }

    /** A node with cluster mode enabled; join nodes with {@link RedisCluster}. */
    public static RedisProcess startClusterNode() {
        return start(true, null);
    }

    /** Clients must AUTH with {@code password}; {@link #url()} does not carry it (pass it as the operator does). */
    public static RedisProcess startWithPassword(String password) {
        if (password == null || password.isEmpty() || password.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("password must be non-empty without whitespace");
        }
        return start(false, password);
    }

    private static RedisProcess start(boolean clusterNode, String password) {
        RedisProcess redis =
                new RedisProcess(OsProcess.tempDir("chopsticks-redis-"), OsProcess.freePort(), clusterNode, password);
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "stop-redis"));
        redis.startServer();
        return redis;
    }

    public synchronized void startServer() {
        if (process != null && process.isAlive()) {
            return;
        }
        // No persistence: a restart comes back empty, like a replaced Redis pod.
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        if (clusterNode) {
            command.addAll(List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout",
                    "2000"));
        }
        process = OsProcess.start(command, dir.resolve("redis.log"));
        OsProcess.awaitUp(
                "Redis",
                port,
                process,
                dir.resolve("redis.log"),
                Duration.ofSeconds(30),
                Duration.ofMillis(20),
                this::ping);
    }

    /** SIGKILL, as when the Redis pod dies. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean ping() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            String auth = password == null ? "" : "AUTH " + password + "\r\n";
            String expected = (password == null ? "" : "+OK\r\n") + "+PONG\r\n";
            out.write((auth + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[expected.length()];
            int n = in.readNBytes(buf, 0, buf.length);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).equals(expected);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() {
        OsProcess.stop(process);
        OsProcess.deleteRecursively(dir);
    }
}
