package dev.chopsticks.discordsim.gateway;

/**
 * Transport compression ({@code compress=} in the gateway URL): one stream for the whole connection, each message
 * flushed so the client can decode it as soon as it arrives. Not thread-safe: the owning connection serialises calls.
 */
interface TransportCompressor {
    /** The compressed bytes of one message, continuing the connection's stream. */
    byte[] compress(String message);

    /** Frees the stream's resources. */
    void end();

    /** The compressor for a {@code compress} query value, or null for none. */
    static TransportCompressor forQuery(String compress) {
        if (compress == null) {
            return null;
        }
        return switch (compress) {
            case ZlibStreamCompressor.NAME -> new ZlibStreamCompressor();
            case ZstdStreamCompressor.NAME -> new ZstdStreamCompressor();
            default -> null;
        };
    }
}
