package dev.chopsticks.discordsim.gateway;

import java.nio.ByteBuffer;

/** The transport under one gateway connection; keeps protocol logic free of the server library. */
public interface GatewaySocket {
    void sendText(String text);

    void sendBinary(ByteBuffer data);

    /** Sends a close frame with the code and reason. */
    void close(int code, String reason);

    /** Cuts the TCP connection without a close frame, like a network failure. */
    void disconnect();
}
