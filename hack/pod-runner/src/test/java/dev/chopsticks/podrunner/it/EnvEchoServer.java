package dev.chopsticks.podrunner.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stand-in "container" of the integration test: prints its arguments and environment, serves {@code /ready}
 * on {@code $HTTP_PORT} (503 while the file {@code <POD_NAME>.unready} exists in its working directory), optionally
 * spawns a child process, and on SIGTERM says so and takes {@code SHUTDOWN_DELAY_MS} to exit, like a draining bot.
 */
public final class EnvEchoServer {
    private EnvEchoServer() {}

    public static void main(String[] args) throws Exception {
        System.out.println("ARGS " + String.join(" ", args));
        new TreeMap<>(System.getenv()).forEach((k, v) -> System.out.println("ECHO " + k + "=" + v));
        Map<String, String> env = System.getenv();
        if (env.containsKey("SPAWN_CHILD")) {
            Process child = new ProcessBuilder("sleep", "600").start();
            System.out.println("CHILD " + child.pid());
        }
        Path unready = Path.of(env.getOrDefault("POD_NAME", "pod") + ".unready");
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(env.get("HTTP_PORT"))), 0);
        server.createContext("/ready", exchange -> {
            boolean ready = !Files.exists(unready);
            reply(exchange.getResponseBody(), exchange, ready ? 200 : 503, ready ? "ready" : "not ready");
        });
        server.start();
        long shutdownDelay = Long.parseLong(env.getOrDefault("SHUTDOWN_DELAY_MS", "0"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("SIGTERM received");
            System.out.flush();
            try {
                // Stands for a bot closing its gateway sessions: the runner must wait for it.
                Thread.sleep(shutdownDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.stop(0);
            System.out.println("bye");
            System.out.flush();
        }));
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void reply(OutputStream out, HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, bytes.length);
        out.write(bytes);
        out.close();
    }
}
