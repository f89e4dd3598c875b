package dev.chopsticks.discordsim.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code /api/...} straight from Jetty's core handler API, in front of Javalin: the hot interaction
 * endpoints skip the servlet and router layers. Everything else (the gateway socket, {@code /_sim}) goes on.
 */
public final class JettyApiHandler extends Handler.Wrapper {
    /** Discord's default upload limit for bots. */
    private static final long MAX_BODY_BYTES = 25L * 1024 * 1024;

    private final DiscordHttpApi api;

    public JettyApiHandler(DiscordHttpApi api) {
        this.api = api;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null || !(path.equals("/api") || path.startsWith("/api/"))) {
            return super.handle(request, response, callback);
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            // Discord's answer to oversized uploads; the body is not read at all.
            response.setStatus(413);
            response.getHeaders().put("Content-Type", "application/json");
            response.write(
                    true,
                    ByteBuffer.wrap("{\"message\":\"Request entity too large\",\"code\":40005}"
                            .getBytes(StandardCharsets.UTF_8)),
                    callback);
            return true;
        }
        ByteBuffer content = Content.Source.asByteBuffer(request);
        byte[] body = new byte[content.remaining()];
        content.get(body);
        ApiRequest apiRequest = new ApiRequest(
                request.getMethod(),
                path,
                Map.of(),
                ApiRequest.parseQuery(request.getHttpURI().getQuery()),
                name -> request.getHeaders().get(name),
                body);
        ApiResponse apiResponse = api.handle(apiRequest);
        response.setStatus(apiResponse.status());
        apiResponse.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (apiResponse.body() == null) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(apiResponse.body().getBytes(StandardCharsets.UTF_8)), callback);
        }
        return true;
    }
}
