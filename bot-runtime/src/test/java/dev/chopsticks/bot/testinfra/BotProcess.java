package dev.chopsticks.bot.testinfra;

import dev.chopsticks.testinfra.OsProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shaded bot jar as a real child process (what the container runs), with its output in a log file. */
public final class BotProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final Process process;
    private final Path log;
    private final int httpPort;

    private BotProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** The jar the build just packaged (failsafe passes its path). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("bot.jar", "target/bot-runtime.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run the ITs through 'mvn verify' (package comes first)");
        }
        return jar;
    }

    public static int freePort() {
        return OsProcess.freePort();
    }

    /** {@code java [jvmArgs] -jar bot-runtime.jar args} with exactly {@code env} (plus PATH/HOME). */
    public static BotProcess start(Map<String, String> env, List<String> jvmArgs, String... args) {
        try {
            Path log = Files.createTempFile("bot-process-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmArgs);
            command.add("-jar");
            command.add(jar().toAbsolutePath().toString());
            command.addAll(List.of(args));
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.keySet().retainAll(List.of("PATH", "HOME", "LANG"));
            childEnv.putAll(env);
            int port = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"));
            return new BotProcess(pb.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    /** GET /ready answered 200. */
    public boolean ready() {
        return status("/ready") == 200;
    }

    public int status(String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        OsProcess.stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file
        }
    }
}
