package dev.chopsticks.discordsim.gateway;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code compress=zstd-stream}: one zstd stream (a single frame, never ended while the connection lives) for the
 * connection, each message written and flushed ({@code ZSTD_e_flush}) so that its bytes decode completely once the
 * earlier messages have, as Discord does; the first message starts with the frame header. Not thread-safe: the
 * owning connection serialises calls.
 */
final class ZstdStreamCompressor implements TransportCompressor {
    static final String NAME = "zstd-stream";

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(16 * 1024);
    private final ZstdOutputStreamNoFinalizer zstd;

    ZstdStreamCompressor() {
        try {
            zstd = new ZstdOutputStreamNoFinalizer(sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] compress(String message) {
        try {
            zstd.write(message.getBytes(StandardCharsets.UTF_8));
            zstd.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail: only a native error gets here
        }
        byte[] out = sink.toByteArray();
        sink.reset();
        return out;
    }

    @Override
    public void end() {
        try {
            zstd.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
