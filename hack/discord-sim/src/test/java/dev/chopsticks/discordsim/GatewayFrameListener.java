package dev.chopsticks.discordsim;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The client side of a gateway socket: joins WebSocket fragments into whole payloads and inflates binary ones, which
 * with {@code compress=zlib-stream} (or {@code zstd-stream}) continue one stream per connection (hence one listener
 * per connection).
 */
public abstract class GatewayFrameListener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private final Inflater inflater = new Inflater();
    private final ZstdDecompressCtx zstd;

    protected GatewayFrameListener() {
        this(false);
    }

    /** With {@code zstd}, binary messages continue one zstd stream instead of one zlib stream. */
    protected GatewayFrameListener(boolean zstd) {
        this.zstd = zstd ? new ZstdDecompressCtx() : null;
    }

    /** A whole payload: a text message, or a binary one inflated. */
    protected abstract void onPayload(WebSocket ws, String json);

    /** A whole binary message as it came, before {@link #onPayload}. */
    protected void onRawBinary(byte[] message) {}

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            onPayload(ws, text.toString());
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            byte[] message = binary.toByteArray();
            binary.reset();
            onRawBinary(message);
            onPayload(ws, zstd != null ? unzstd(message) : inflate(message));
        }
        ws.request(1);
        return null;
    }

    private String inflate(byte[] message) {
        try {
            inflater.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.length * 4);
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decompresses one message of a zstd stream: everything it flushed, without expecting the frame to end. */
    private String unzstd(byte[] message) {
        ByteBuffer src = ByteBuffer.allocateDirect(message.length);
        src.put(message).flip();
        ByteBuffer dst = ByteBuffer.allocateDirect(64 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length * 4);
        boolean full;
        do {
            dst.clear();
            zstd.decompressDirectByteBufferStream(dst, src);
            dst.flip();
            full = dst.remaining() == dst.capacity();
            byte[] chunk = new byte[dst.remaining()];
            dst.get(chunk);
            out.writeBytes(chunk);
        } while (src.hasRemaining() || full);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Frees the decompressors; call when the connection is done. */
    public void end() {
        inflater.end();
        if (zstd != null) {
            zstd.close();
        }
    }
}
