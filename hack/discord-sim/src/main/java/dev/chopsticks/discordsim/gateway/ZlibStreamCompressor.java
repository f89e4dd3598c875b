package dev.chopsticks.discordsim.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * {@code compress=zlib-stream}: one zlib context for the whole connection, each message flushed with
 * Z_SYNC_FLUSH so it ends with {@code 00 00 ff ff}, as Discord does. Not thread-safe: the owning
 * connection serialises calls.
 */
final class ZlibStreamCompressor implements TransportCompressor {
    static final String NAME = "zlib-stream";

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private final byte[] chunk = new byte[16 * 1024];

    @Override
    public byte[] compress(String message) {
        deflater.setInput(message.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, message.length() / 4));
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length); // a full buffer means more flushed output is pending
        return out.toByteArray();
    }

    /** Whole-payload compression for IDENTIFY {@code compress: true}: an independent zlib stream per message. */
    static byte[] compressPayload(String message) {
        Deflater one = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            one.setInput(message.getBytes(StandardCharsets.UTF_8));
            one.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, message.length() / 4));
            byte[] buf = new byte[8 * 1024];
            while (!one.finished()) {
                out.write(buf, 0, one.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            one.end();
        }
    }

    @Override
    public void end() {
        deflater.end();
    }
}
