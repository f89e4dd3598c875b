package dev.chopsticks.bot.loadtest;

import java.util.Locale;

/** Final figures of a load test run; latencies in milliseconds. */
public record LoadTestReport(
        long requests,
        double seconds,
        double rps,
        double p50Ms,
        double p99Ms,
        double maxMs,
        long non2xx,
        long socketErrors,
        int connections) {

    public static final double P99_LIMIT_MS = 500;

    public long errors() {
        return non2xx + socketErrors;
    }

    public boolean passed() {
        return errors() == 0 && p99Ms <= P99_LIMIT_MS && requests > 0;
    }

    public String summary() {
        return String.format(
                Locale.ROOT,
                "requests=%d duration=%.1fs connections=%d rps=%.0f p50=%.3fms p99=%.3fms max=%.3fms errors=%d (non-2xx=%d, socket=%d) -> %s",
                requests,
                seconds,
                connections,
                rps,
                p50Ms,
                p99Ms,
                maxMs,
                errors(),
                non2xx,
                socketErrors,
                passed() ? "PASS" : "FAIL (p99 must be <= 500 ms and errors 0)");
    }
}
