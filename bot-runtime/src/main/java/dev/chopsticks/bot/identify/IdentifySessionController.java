package dev.chopsticks.bot.identify;

import dev.chopsticks.bot.concurrent.DaemonThreads;
import dev.chopsticks.bot.config.IdentifyConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.StatusChangeEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.RestRateLimiter;
import net.dv8tion.jda.api.utils.SessionController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDA's identify queue, replaced: one worker per {@code max_concurrency} bucket takes this process's waiting shards
 * lowest id first and, for each, (1) waits for the bucket's turn on the {@link IdentifyGate} (Redis: shared by all
 * pods), (2) asks the {@link IdentifyBudget} guard, (3) lets JDA connect and identify while the lease is renewed, then
 * (4) keeps the lease for one identify window (plus a safety margin) from the moment the identify is known to have
 * reached the gateway (READY, or the failure that ended the attempt): nothing is freed early, since Discord counts
 * the IDENTIFY either way. Only a turn in which no IDENTIFY was written (the connection failed first) is given back.
 */
public final class IdentifySessionController implements SessionController, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IdentifySessionController.class);

    /** Lease slack while an identify is in flight; the holder renews every {@link #RENEW_EVERY}. */
    public static final Duration IN_FLIGHT_MARGIN = Duration.ofSeconds(1);

    static final Duration RENEW_EVERY = Duration.ofMillis(250);

    private final String gatewayUrl;
    private final IdentifyConfig config;
    private final IdentifyGate gate;
    private final IdentifyBudget budget;
    private final GatewayBotClient gatewayBot;
    private final IdentifyEvents events;
    private final IdentifyMetrics metrics;
    private final Map<Integer, Worker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("identify-lease-renew"));
    private volatile int concurrency;
    private volatile boolean closed;
    private volatile RestRateLimiter.GlobalRateLimit globalRateLimit = RestRateLimiter.GlobalRateLimit.create();
    private volatile ResumableSessions resumable = ResumableSessions.NONE;

    public IdentifySessionController(
            String gatewayUrl,
            IdentifyConfig config,
            IdentifyGate gate,
            IdentifyBudget budget,
            GatewayBotClient gatewayBot,
            IdentifyEvents events,
            IdentifyMetrics metrics) {
        this.gatewayUrl = gatewayUrl;
        this.config = config;
        this.gate = gate;
        this.budget = budget;
        this.gatewayBot = gatewayBot;
        this.events = events;
        this.metrics = metrics;
        this.concurrency = config.maxConcurrency().orElse(1);
    }

    /** The lease taken for an identify in flight: one window plus slack for the renewals. */
    public static Duration inFlightLease(IdentifyConfig config) {
        return config.window().plus(IN_FLIGHT_MARGIN);
    }

    public int concurrency() {
        return concurrency;
    }

    /** The global REST rate-limit handle JDA shares between the shards (set before the ShardManager is built). */
    public IdentifySessionController withGlobalRateLimit(RestRateLimiter.GlobalRateLimit handle) {
        this.globalRateLimit = handle;
        return this;
    }

    /** Shards whose session is resumed connect at once: a RESUME is no session start and has no identify window. */
    public IdentifySessionController withResumableSessions(ResumableSessions sessions) {
        this.resumable = sessions;
        return this;
    }

    @Override
    public RestRateLimiter.GlobalRateLimit getRateLimitHandle() {
        return globalRateLimit;
    }

    @Override
    public void setConcurrency(int level) {
        concurrency = Math.max(1, level);
    }

    @Override
    public String getGateway() {
        return gatewayUrl;
    }

    /**
     * Called by the ShardManager once, before the first shard: the shard total, and {@code max_concurrency}
     * ({@code MAX_CONCURRENCY} if set, never above Discord's). Also seeds the budget guard.
     */
    @Override
    public ShardedGateway getShardedGateway(JDA api) {
        GatewayBot info;
        try {
            info = gatewayBot.fetch();
        } catch (GatewayBotClient.InvalidTokenException e) {
            api.shutdownNow();
            throw new InvalidTokenException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading GET /gateway/bot", e);
        } catch (Exception e) {
            throw new IllegalStateException("GET /gateway/bot failed: " + e.getMessage(), e);
        }
        budget.update(info.sessionStartLimit());
        int discord = info.sessionStartLimit().maxConcurrency();
        int chosen = config.maxConcurrency().orElse(discord);
        if (chosen > discord) {
            log.warn("MAX_CONCURRENCY {} is above Discord's max_concurrency {}: using {}", chosen, discord, discord);
            chosen = discord;
        }
        log.info(
                "gateway: {} shards recommended, max_concurrency {}, session starts remaining {}/{}",
                info.shards(),
                chosen,
                info.sessionStartLimit().remaining(),
                info.sessionStartLimit().total());
        return new ShardedGateway(gatewayUrl, info.shards(), chosen);
    }

    @Override
    public void appendSession(SessionConnectNode node) {
        if (closed) {
            throw new IllegalStateException("identify queue closed");
        }
        int shardId = node.getShardInfo().getShardId();
        if (resumable.canResume(shardId)) {
            DaemonThreads.start("resume-shard-" + shardId, () -> resume(node));
            return;
        }
        int bucket = shardId % concurrency;
        long now = System.nanoTime();
        workers.computeIfAbsent(bucket, Worker::new).queue.add(new BucketQueue.Entry(node, now, now));
    }

    private void resume(SessionConnectNode node) {
        try {
            log.debug(
                    "shard {}: resuming, no identify turn", node.getShardInfo().getShardId());
            node.run(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Could not even reach the relay: try again shortly (as a resume while the session lasts, else queued).
            log.warn(
                    "shard {}: connect failed ({}), retrying",
                    node.getShardInfo().getShardId(),
                    e.toString());
            try {
                Thread.sleep(1000);
                appendSession(node);
            } catch (InterruptedException | IllegalStateException stop) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void removeSession(SessionConnectNode node) {
        workers.values().forEach(w -> w.queue.remove(node));
    }

    /** Shards of this process still waiting for their turn. */
    public int waiting() {
        return workers.values().stream().mapToInt(w -> w.queue.size()).sum();
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(w -> w.thread.interrupt());
        renewer.shutdownNow();
        gate.close();
    }

    private final class Worker implements Runnable {
        private final int bucket;
        private final BucketQueue queue = new BucketQueue();
        private final Thread thread;

        Worker(int bucket) {
            this.bucket = bucket;
            this.thread = DaemonThreads.start("identify-bucket-" + bucket, this);
        }

        @Override
        public void run() {
            while (!closed) {
                try {
                    process(queue.take());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("identify queue: unexpected failure in bucket {}", bucket, e);
                }
            }
        }

        private void process(BucketQueue.Entry entry) throws InterruptedException {
            SessionConnectNode node = entry.node();
            int shardId = entry.shardId();
            if (node.getJDA().getStatus() == JDA.Status.SHUTDOWN
                    || node.getJDA().getStatus() == JDA.Status.SHUTTING_DOWN) {
                return;
            }
            IdentifyGate.Lease lease = gate.acquire(bucket, shardId);
            IdentifyDecision decision = budget.check(shardId);
            if (!decision.allowed()) {
                lease.release();
                events.refused(shardId, decision.message());
                long retry = System.nanoTime() + decision.retryAfter().toNanos();
                queue.add(new BucketQueue.Entry(node, retry, entry.queuedAtNanos()));
                return;
            }
            events.identifying(shardId);
            metrics.identified(Duration.ofNanos(System.nanoTime() - entry.queuedAtNanos()));
            IdentifyClock sent = identifyClock(node.getJDA());
            long turn = System.nanoTime();
            sent.arm();
            InFlight inFlight = new InFlight(lease, inFlightLease(config));
            ScheduledFuture<?> renewal = renewer.scheduleAtFixedRate(
                    inFlight::renew, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            try {
                log.debug("identify: shard {} (bucket {})", shardId, bucket);
                node.run(false);
            } catch (InterruptedException e) {
                queue.add(entry);
                throw e;
            } catch (RuntimeException e) {
                log.warn("shard {}: connect failed ({}), queued again", shardId, e.toString());
                queue.add(new BucketQueue.Entry(node, System.nanoTime(), entry.queuedAtNanos()));
            } finally {
                renewal.cancel(false);
                // run() returns once READY (or a failure) arrived, i.e. after the IDENTIFY reached the gateway: holding
                // one window from now covers it even when JDA's writer thread sent it late. If no IDENTIFY was
                // written (JDA sets AWAITING_LOGIN_CONFIRMATION right after writing it), the turn is given back.
                long sentAt = sent.disarm();
                if (sentAt == 0) {
                    inFlight.release();
                } else {
                    log.debug(
                            "shard {}: IDENTIFY {} ms after its turn, READY {} ms later",
                            shardId,
                            (sentAt - turn) / 1_000_000,
                            (System.nanoTime() - sentAt) / 1_000_000);
                    inFlight.finish(config.window().plus(config.safety()));
                }
            }
        }
    }

    private final Map<JDA, IdentifyClock> clocks = new ConcurrentHashMap<>();

    /** One listener per shard, added the first time the shard is queued. */
    private IdentifyClock identifyClock(JDA jda) {
        return clocks.computeIfAbsent(jda, j -> {
            IdentifyClock clock = new IdentifyClock();
            j.addEventListener(clock);
            return clock;
        });
    }

    /** Whether (and when) JDA wrote the IDENTIFY of the current turn: it sets AWAITING_LOGIN_CONFIRMATION right after. */
    private static final class IdentifyClock implements EventListener {
        private volatile boolean armed;
        private volatile long sentAt;

        void arm() {
            sentAt = 0;
            armed = true;
        }

        long disarm() {
            armed = false;
            return sentAt;
        }

        @Override
        public void onEvent(GenericEvent event) {
            if (armed
                    && sentAt == 0
                    && event instanceof StatusChangeEvent e
                    && e.getNewStatus() == JDA.Status.AWAITING_LOGIN_CONFIRMATION) {
                sentAt = System.nanoTime();
            }
        }
    }

    /** Renewals and the final hold are serialised, so a late renewal can never follow the final hold. */
    private static final class InFlight {
        private final IdentifyGate.Lease lease;
        private final Duration renewTo;
        private boolean done;

        InFlight(IdentifyGate.Lease lease, Duration renewTo) {
            this.lease = lease;
            this.renewTo = renewTo;
        }

        synchronized void renew() {
            if (!done) {
                lease.extend(renewTo);
            }
        }

        synchronized void finish(Duration hold) {
            done = true;
            lease.extend(hold);
        }

        synchronized void release() {
            done = true;
            lease.release();
        }
    }
}
