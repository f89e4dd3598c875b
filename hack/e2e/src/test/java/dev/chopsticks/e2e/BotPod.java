package dev.chopsticks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operator-rendered bot container run as a local process of the real bot jar: {@code java -jar bot-runtime.jar}
 * plus the container's {@code args} (the image's entrypoint is the bot's main class, so a container that sets
 * {@code command} is refused), with exactly the environment given and nothing inherited.
 */
final class BotPod implements AutoCloseable {
    /** The start-up line of bot-runtime's EnvironmentReport. */
    private static final Pattern KNOWN = Pattern.compile("environment variables known: ([A-Z0-9_,]*) \\(([a-z-]+)\\)");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String kind;
    final Container container;
    final Process process;
    final Path log;
    final int httpPort;

    private BotPod(String kind, Container container, Process process, Path log, int httpPort) {
        this.kind = kind;
        this.container = container;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    static BotPod start(String kind, Container container, Map<String, String> env, int httpPort, Path logDir) {
        assertThat(container.getCommand())
                .as("%s: the operator must not override the image's entrypoint (the bot's main class)", kind)
                .isNullOrEmpty();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // 2 cores for three JVMs and the services: the C1 compiler alone starts the bot faster.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-jar",
                RealBots.botJar().toString()));
        command.addAll(container.getArgs());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(kind + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            return new BotPod(kind, container, builder.start(), log, httpPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        return "the " + kind + " pod (bot-runtime " + String.join(" ", container.getArgs()) + ")";
    }

    /** Why the process is gone, in one message: the bot's own configuration error first, then its log's end. */
    String exitReport() {
        String text = logText();
        String configError = text.lines()
                .filter(l -> l.startsWith("configuration error: "))
                .findFirst()
                .map(l -> "\nthe bot refused the environment the operator renders: " + l)
                .orElse("");
        return describe() + " exited with code " + process.exitValue() + configError + "\nlog " + log + " ends with:\n"
                + tail(text, 30);
    }

    /** Waits for the process to exit on its own (a Job's container). */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("%s finished within %s", describe(), timeout)
                .isTrue();
        return process.exitValue();
    }

    /** Waits until {@code path} answers 200; fails at once, with the bot's reason, if the process exits. */
    void awaitOk(String path, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .failFast(
                        "bot process exited",
                        () -> assertThat(process.isAlive()).as(this::exitReport).isTrue())
                .ignoreExceptions()
                .until(() -> get(path).statusCode() == 200);
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The variables the bot says it knows (its start-up line), waiting for the line if need be. */
    Set<String> knownVariables() {
        await().atMost(Duration.ofSeconds(60))
                .failFast(
                        "bot process exited without its 'environment variables known:' start-up line",
                        () -> assertThat(process.isAlive()
                                        || KNOWN.matcher(logText()).find())
                                .as(this::exitReport)
                                .isTrue())
                .until(() -> KNOWN.matcher(logText()).find());
        Matcher m = KNOWN.matcher(logText());
        assertThat(m.find()).isTrue();
        return new TreeSet<>(List.of(m.group(1).split(",")));
    }

    /**
     * Every variable the operator renders for this pod is one the bot reads, or one that another rendered value
     * expands with {@code $(NAME)} (PGUSER in POSTGRES_URL): anything else is configuration that silently does nothing.
     */
    void assertBotKnowsEveryRenderedVariable(Set<String> expandedNames) {
        Set<String> known = knownVariables();
        Set<String> unknown = new TreeSet<>();
        for (EnvVar v : container.getEnv()) {
            if (!known.contains(v.getName()) && !expandedNames.contains(v.getName())) {
                unknown.add(v.getName());
            }
        }
        assertThat(unknown)
                .as(
                        "the operator renders %s for %s, but the bot never reads them (it knows %s)",
                        unknown, describe(), known)
                .isEmpty();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGTERM, as the kubelet stops a pod, then SIGKILL after the pod's grace period. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
