package dev.chopsticks.bot.http;

import io.javalin.config.JettyConfig;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The limits of the bot's HTTP server (shard pods and the dashboard both run {@link OpsHttpServer}) against slow
 * clients and floods. Jetty parses request headers without holding a thread, so slow clients cost connections, not
 * threads; these bound the connections and how long each may be held.
 */
final class HttpLimits {
    /** Probes, scrapes and the load test use tens; beyond that a client is flooding (buffers, descriptors). */
    static final int MAX_CONNECTIONS = 256;
    /** Our requests carry a path and at most a token. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Closes keep-alive connections nobody uses; any byte restarts it, so it alone stops no slow client. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** Every request arrives in milliseconds; one that takes longer than this is held open on purpose. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);

    private HttpLimits() {}

    static void apply(JettyConfig jetty, String host, int port) {
        jetty.threadPool = threadPool();
        jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(MAX_HEADER_BYTES);
            http.setSendServerVersion(false);
        });
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            connector.addBean(new RequestDeadline(connector.getScheduler(), REQUEST_DEADLINE));
            server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
            return connector;
        });
    }

    /**
     * A small pool: on 2-core pods hundreds of runnable threads only add context switches to the tail. Slow clients
     * cannot exhaust it: a thread runs only once a request's headers are complete, and no endpoint reads a body.
     */
    private static QueuedThreadPool threadPool() {
        int threads = Integer.getInteger(
                "chopsticks.http.threads", Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
        return new QueuedThreadPool(threads, Math.min(threads, 4), 60_000);
    }
}
