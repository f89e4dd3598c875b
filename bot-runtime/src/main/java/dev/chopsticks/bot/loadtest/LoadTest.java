package dev.chopsticks.bot.loadtest;

import dev.chopsticks.bot.config.LoadTestConfig;
import dev.chopsticks.bot.config.Secret;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The guide's load test: N keep-alive connections alternate between /health and /api/internal/status for the
 * configured duration, with a progress line per second. Bounded in time; targets only DASHBOARD_URL.
 */
public final class LoadTest {
    static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final LoadTestConfig config;
    private final PrintStream out;

    public LoadTest(LoadTestConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public LoadTestReport run() throws InterruptedException {
        URI base = config.dashboardUrl();
        int port = base.getPort() > 0 ? base.getPort() : 80;
        InetSocketAddress address = new InetSocketAddress(base.getHost(), port);
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String hostHeader = base.getHost() + ":" + port;
        String token = config.adminToken().map(Secret::reveal).orElse(null);
        List<byte[]> requests = List.of(
                KeepAliveConnection.getRequest(hostHeader, prefix + "/health", null),
                KeepAliveConnection.getRequest(hostHeader, prefix + "/api/internal/status", token));

        Recorder recorder = new Recorder(MAX_LATENCY_NANOS, 3);
        LongAdder non2xx = new LongAdder();
        LongAdder socketErrors = new LongAdder();
        int connections = config.connections();
        long start = System.nanoTime();
        long deadline = start + config.duration().toNanos();
        CountDownLatch done = new CountDownLatch(connections);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            int offset = i;
            workers.add(Thread.ofPlatform().daemon().name("loadtest-" + i).start(() -> {
                try (KeepAliveConnection conn = new KeepAliveConnection(address)) {
                    int n = offset;
                    while (System.nanoTime() < deadline) {
                        byte[] req = requests.get(n++ % requests.size());
                        long t0 = System.nanoTime();
                        try {
                            int status = conn.exchange(req);
                            recorder.recordValue(Math.min(System.nanoTime() - t0, MAX_LATENCY_NANOS));
                            if (status < 200 || status > 299) {
                                non2xx.increment();
                            }
                        } catch (Exception e) {
                            socketErrors.increment();
                            conn.close();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }

        Histogram total = new Histogram(MAX_LATENCY_NANOS, 3);
        Histogram interval = null;
        int second = 0;
        while (!done.await(1, TimeUnit.SECONDS)) {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            second++;
            out.printf(
                    Locale.ROOT,
                    "%3ds  rps=%-8d p50=%.3fms p99=%.3fms errors=%d%n",
                    second,
                    interval.getTotalCount(),
                    ms(interval.getValueAtPercentile(50)),
                    ms(interval.getValueAtPercentile(99)),
                    non2xx.sum() + socketErrors.sum());
        }
        total.add(recorder.getIntervalHistogram(interval));
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Thread w : workers) {
            w.join();
        }
        return new LoadTestReport(
                total.getTotalCount(),
                seconds,
                total.getTotalCount() / seconds,
                ms(total.getValueAtPercentile(50)),
                ms(total.getValueAtPercentile(99)),
                ms(total.getMaxValue()),
                non2xx.sum(),
                socketErrors.sum(),
                connections);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
