package dev.chopsticks.bot.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * L1 hit rate under Zipf(s=1) over 20,000 guilds, with the L1 built exactly like LayeredCache (Caffeine W-TinyLFU,
 * maximumSize + expireAfterWrite), on a simulated clock so the 60 s TTL counts at a given request rate.
 * Prints one line per L1 size; no timing involved.
 */
public final class ZipfHitRateBenchmark {
    static final int GUILDS = 20_000;
    static final long REQUESTS = 4_000_000;
    static final long WARMUP = 1_000_000;

    private ZipfHitRateBenchmark() {}

    public static void main(String[] args) {
        double[] cdf = zipfCdf(GUILDS, 1.0);
        System.out.printf(
                Locale.ROOT,
                "Zipf(s=1) over %d guilds, %d requests after %d warm-up, TTL 60 s (LOCAL_CACHE_GUILD_TTL)%n",
                GUILDS,
                REQUESTS,
                WARMUP);
        System.out.printf(Locale.ROOT, "ideal (top-N pinned) hit rate at N=2000: %.2f %%%n", 100 * cdf[1999]);
        // Capacity alone (TTL far beyond the run): which LOCAL_CACHE_GUILD_MAX reaches 95 %.
        for (int size : new int[] {2_000, 5_000, 10_000, 12_000, 13_000, 15_000}) {
            double hit = simulate(cdf, size, Duration.ofDays(365), 2_000, 7);
            System.out.printf(
                    Locale.ROOT, "no TTL           LOCAL_CACHE_GUILD_MAX=%6d  hit=%.2f %%%n", size, 100 * hit);
        }
        for (int rate : new int[] {200, 2_000, 20_000}) {
            for (int size : new int[] {2_000, 5_000, 10_000, 12_000, 15_000, 20_000}) {
                double hit = simulate(cdf, size, Duration.ofMillis(60_000), rate, 7);
                System.out.printf(
                        Locale.ROOT, "rate=%5d req/s  LOCAL_CACHE_GUILD_MAX=%6d  hit=%.2f %%%n", rate, size, 100 * hit);
            }
        }
    }

    static double simulate(double[] cdf, int size, Duration ttl, int requestsPerSecond, long seed) {
        AtomicLong nanos = new AtomicLong();
        Cache<Integer, Boolean> l1 = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfterWrite(ttl)
                .ticker(nanos::get)
                .executor(Runnable::run)
                .build();
        SplittableRandom random = new SplittableRandom(seed);
        long step = 1_000_000_000L / requestsPerSecond;
        long hits = 0;
        for (long i = 0; i < WARMUP + REQUESTS; i++) {
            nanos.addAndGet(step);
            int guild = sample(cdf, random.nextDouble());
            boolean hit = l1.getIfPresent(guild) != null;
            if (!hit) {
                l1.put(guild, Boolean.TRUE);
            }
            if (i >= WARMUP && hit) {
                hits++;
            }
        }
        return (double) hits / REQUESTS;
    }

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1.0 / Math.pow(k, s);
            cdf[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    static int sample(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
    }
}
