package dev.chopsticks.operator.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code /healthz} (liveness: false once the start failed or an informer stopped, and while leading with an unhealthy
 * informer), {@code /readyz} (started; a standby replica is ready too, so rolling updates of the two-replica
 * Deployment proceed) and {@code /metrics} (Prometheus text).
 *
 * <p>Jetty's non-blocking core server, so a slow client holds a connection, never a thread (the JDK HttpServer read
 * request headers on one of its two threads: two slow-header clients kept {@code /healthz} from answering for 96 s).
 * Limits: {@value #MAX_CONNECTIONS} connections, {@code 8 KiB} of request headers, an idle timeout of
 * {@link #IDLE_TIMEOUT}, and every connection closed {@link #CONNECTION_DEADLINE} after it opened
 * ({@link ConnectionDeadline}: the idle timeout alone lets a client that sends a byte a second stay forever).
 */
public final class HealthServer implements AutoCloseable {
    static final int MAX_CONNECTIONS = 256;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(10);
    private static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Server server;
    private final ServerConnector connector;

    public HealthServer(int port, Supplier<? extends OperatorHealth> operator, PrometheusMeterRegistry registry)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("health-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.addBean(new ConnectionDeadline(connector.getScheduler(), CONNECTION_DEADLINE));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new Endpoints(operator, registry));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the health server", e);
        }
    }

    /** The three endpoints; each answers from memory, so handling never blocks. */
    private static final class Endpoints extends Handler.Abstract.NonBlocking {
        private final Supplier<? extends OperatorHealth> operator;
        private final PrometheusMeterRegistry registry;

        Endpoints(Supplier<? extends OperatorHealth> operator, PrometheusMeterRegistry registry) {
            this.operator = operator;
            this.registry = registry;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                response.setStatus(405);
                callback.succeeded();
                return true;
            }
            OperatorHealth op = operator.get();
            switch (Request.getPathInContext(request)) {
                case "/healthz" -> {
                    boolean ok = op == null || op.isHealthy();
                    respond(response, callback, ok ? 200 : 503, ok ? "ok\n" : "unhealthy\n", "text/plain");
                }
                case "/readyz" -> {
                    boolean ready = op != null && op.isStarted();
                    String body = !ready ? "starting\n" : op.isLeader() ? "ready (leader)\n" : "ready (standby)\n";
                    respond(response, callback, ready ? 200 : 503, body, "text/plain");
                }
                case "/metrics" ->
                    respond(response, callback, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8");
                default -> respond(response, callback, 404, "not found\n", "text/plain");
            }
            return true;
        }

        private static void respond(Response response, Callback callback, int code, String body, String type) {
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            Content.Sink.write(response, true, body, callback);
        }
    }
}
