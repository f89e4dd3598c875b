package dev.chopsticks.discordsim.gateway;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Session;

/** Binds the gateway protocol to Javalin's WebSocket callbacks. */
public final class GatewayEndpoint {
    private final GatewayProtocol protocol;
    private final Map<Session, GatewayConnection> connections = new ConcurrentHashMap<>();

    public GatewayEndpoint(GatewayProtocol protocol) {
        this.protocol = protocol;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            Map<String, String> query = new HashMap<>();
            ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
            connections.put(ctx.session, protocol.open(new JettySocket(ctx.session), query));
        });
        ws.onMessage(ctx -> {
            GatewayConnection c = connection(ctx);
            if (c != null) {
                protocol.onText(c, ctx.message());
            }
        });
        ws.onBinaryMessage(ctx -> {
            GatewayConnection c = connection(ctx);
            if (c != null) {
                protocol.onBinary(c, ctx.data());
            }
        });
        ws.onClose(ctx -> closed(ctx, ctx.status()));
        ws.onError(ctx -> closed(ctx, 1006));
    }

    private GatewayConnection connection(WsContext ctx) {
        return connections.get(ctx.session);
    }

    private void closed(WsContext ctx, int code) {
        GatewayConnection c = connections.remove(ctx.session);
        if (c != null) {
            protocol.onClosed(c, code);
        }
    }
}
