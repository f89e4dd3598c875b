package dev.chopsticks.discordsim.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The benchmark bot's HTTP side: a few persistent HTTP/1.1 connections on blocking threads. Much cheaper
 * than the JDK HttpClient, so the figures measure the simulator rather than the client.
 */
final class KeepAlivePoster implements AutoCloseable {
    private record Job(String path, byte[] body) {}

    private static final Job STOP = new Job("", new byte[0]);

    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final String host;
    private final int port;

    KeepAlivePoster(String host, int port, int connections) {
        this.host = host;
        this.port = port;
        for (int i = 0; i < connections; i++) {
            workers.add(Thread.ofPlatform().daemon().name("bench-poster-" + i).start(this::work));
        }
    }

    void post(String path, String json) {
        jobs.add(new Job(path, json.getBytes(StandardCharsets.UTF_8)));
    }

    private void work() {
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (true) {
                Job job = jobs.take();
                if (job == STOP) {
                    return;
                }
                String head = "POST " + job.path() + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + job.body().length + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(job.body());
                out.flush();
                readResponse(in);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads status line, headers and a Content-Length or chunked body. Returns the status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        long length = 0;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16);
                    size > 0;
                    size = Long.parseLong(line(in).trim(), 16)) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else {
            in.skipNBytes(length);
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c == -1 && b.isEmpty()) {
            throw new IOException("connection closed");
        }
        return b.toString();
    }

    @Override
    public void close() {
        workers.forEach(w -> jobs.add(STOP));
    }
}
