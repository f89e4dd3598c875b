package dev.chopsticks.bot.shardstatus;

import dev.chopsticks.api.v1alpha1.ShardPhase;
import dev.chopsticks.api.v1alpha1.ShardStatus;
import dev.chopsticks.bot.concurrent.DaemonThreads;
import dev.chopsticks.bot.identify.IdentifyEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.GatewayPingEvent;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.StatusChangeEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.SessionRecreateEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each shard of this process reports its gateway state to its Shard object: at once on every phase change, otherwise
 * (guilds, ping, heartbeat) at most once per {@code interval} per shard and only when something changed. Writes run
 * on one background thread in order, so JDA's threads never wait on the API server.
 */
public final class ShardStatusReporter implements EventListener, IdentifyEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardStatusReporter.class);

    private final ShardStatusWriter writer;
    private final Duration interval;
    private final Clock clock;
    private final Map<Integer, ShardState> shards = new TreeMap<>();
    private final ExecutorService writes =
            Executors.newSingleThreadExecutor(DaemonThreads.factory("shard-status-writer"));
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("shard-status-tick"));
    private volatile boolean frozen;
    private volatile boolean failing;
    private volatile int[] budget;

    private static final class ShardState {
        final PhaseTracker tracker = new PhaseTracker();
        JDA jda;
        Instant sessionStartedAt;
        String session;
        boolean resumedNext;
        Instant lastHeartbeat;
        String message;
        ShardReport lastWritten;
        long lastWriteNanos = Long.MIN_VALUE / 2;
    }

    public ShardStatusReporter(Collection<Integer> shardIds, ShardStatusWriter writer, Duration interval, Clock clock) {
        this.writer = writer;
        this.interval = interval;
        this.clock = clock;
        shardIds.forEach(id -> shards.put(id, new ShardState()));
    }

    /** Reports every shard as Starting and begins the periodic updates. */
    public ShardStatusReporter start() {
        shards.keySet().forEach(id -> changed(id, s -> null));
        long tick = Math.max(100, Math.min(1_000, interval.toMillis() / 4));
        ticker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void onEvent(GenericEvent event) {
        if (!(event instanceof StatusChangeEvent
                || event instanceof GatewayPingEvent
                || event instanceof ReadyEvent
                || event instanceof SessionRecreateEvent
                || event instanceof ShutdownEvent)) {
            return;
        }
        JDA jda = event.getJDA();
        int id = jda.getShardInfo().getShardId();
        switch (event) {
            case StatusChangeEvent e ->
                changed(id, s -> {
                    s.jda = jda;
                    s.tracker.on(e.getNewStatus());
                    if (e.getNewStatus() == JDA.Status.CONNECTED) {
                        s.message = null;
                    }
                    return null;
                });
            case GatewayPingEvent e ->
                update(id, s -> {
                    s.jda = jda;
                    s.lastHeartbeat = now();
                });
            case ReadyEvent e ->
                update(id, s -> {
                    s.sessionStartedAt = now();
                    s.session = s.resumedNext ? ShardStatus.RESUMED : ShardStatus.IDENTIFIED;
                    s.resumedNext = false;
                });
            case SessionRecreateEvent e -> update(id, s -> s.sessionStartedAt = now());
            case ShutdownEvent e ->
                changed(id, s -> {
                    CloseCode code = e.getCloseCode();
                    if (e.getCode() != 1000 && code != null && !code.isReconnect()) {
                        s.tracker.failed();
                        s.message = "gateway closed the session: " + code.getCode() + " " + code.getMeaning();
                    }
                    return null;
                });
            default -> {}
        }
    }

    @Override
    public void identifying(int shardId) {
        changed(shardId, s -> {
            s.tracker.identifying();
            s.message = null;
            return null;
        });
    }

    @Override
    public void standby(int shardId) {
        changed(shardId, s -> {
            s.tracker.standby();
            s.message = "warm: takes its session over (RESUME) once this generation is active";
            return null;
        });
    }

    @Override
    public void tookOver(int shardId) {
        changed(shardId, s -> {
            s.tracker.tookOver();
            s.message = null;
            return null;
        });
    }

    @Override
    public void resumed(int shardId) {
        update(shardId, s -> s.resumedNext = true);
    }

    @Override
    public void refused(int shardId, String message) {
        changed(shardId, s -> {
            s.tracker.refused();
            s.message = message;
            return null;
        });
    }

    /** Reported with every shard's next periodic update (the operator's identify budget reads it). */
    @Override
    public void budget(int remaining, int total) {
        budget = new int[] {remaining, total};
    }

    /** SIGTERM: every shard reports Disconnected now; later changes are not reported. Waits for the writes. */
    public void shuttingDown(String reason, Duration wait) {
        shards.keySet()
                .forEach(id -> changed(id, s -> {
                    s.tracker.on(JDA.Status.SHUTTING_DOWN);
                    s.message = reason;
                    return null;
                }));
        frozen = true;
        flush(wait);
    }

    /** Waits until the writes queued so far are done. */
    public boolean flush(Duration wait) {
        try {
            return writes.submit(() -> {}).get(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
        } catch (Exception e) {
            return false;
        }
    }

    public ShardPhase phase(int shardId) {
        ShardState s = shards.get(shardId);
        synchronized (this) {
            return s == null ? null : s.tracker.phase();
        }
    }

    private interface Change {
        Object apply(ShardState s);
    }

    /** Applies a change; if the phase moved (or this is the first report), writes at once. */
    private void changed(int shardId, Change change) {
        ShardReport report;
        synchronized (this) {
            ShardState s = shards.get(shardId);
            if (s == null || frozen) {
                return;
            }
            boolean neverWritten = s.lastWritten == null;
            ShardPhase previous = s.tracker.phase();
            change.apply(s);
            if (!neverWritten && previous == s.tracker.phase()) {
                return;
            }
            report = snapshot(s);
            s.lastWritten = report;
            s.lastWriteNanos = System.nanoTime();
        }
        submit(shardId, report);
    }

    private synchronized void update(int shardId, Consumer<ShardState> change) {
        ShardState s = shards.get(shardId);
        if (s != null) {
            change.accept(s);
        }
    }

    private void tick() {
        if (frozen) {
            return;
        }
        long now = System.nanoTime();
        shards.keySet().forEach(id -> {
            ShardReport report;
            synchronized (this) {
                ShardState s = shards.get(id);
                if (now - s.lastWriteNanos < interval.toNanos()) {
                    return;
                }
                report = snapshot(s);
                if (Objects.equals(report, s.lastWritten)) {
                    return;
                }
                s.lastWritten = report;
                s.lastWriteNanos = now;
            }
            submit(id, report);
        });
    }

    private ShardReport snapshot(ShardState s) {
        JDA jda = s.jda;
        int guilds = jda == null ? 0 : (int) jda.getGuildCache().size();
        long ping = jda == null ? -1 : jda.getGatewayPing();
        int[] b = budget;
        return new ShardReport(
                s.tracker.phase(),
                guilds,
                ping,
                s.sessionStartedAt,
                s.lastHeartbeat,
                s.message,
                b == null ? null : b[0],
                b == null ? null : b[1],
                s.session);
    }

    private void submit(int shardId, ShardReport report) {
        try {
            writes.execute(() -> write(shardId, report));
        } catch (RejectedExecutionException e) {
            log.debug("shard {} status not written: reporter closed", shardId);
        }
    }

    private void write(int shardId, ShardReport report) {
        try {
            writer.write(shardId, report);
            if (failing) {
                failing = false;
                log.info("shard status writes work again");
            }
        } catch (Exception e) {
            if (!failing) {
                failing = true;
                log.warn("shard {} status write failed ({}); retrying with the next update", shardId, e.toString());
            }
            synchronized (this) {
                // Forget what we think was written, so the next tick writes again.
                shards.get(shardId).lastWritten = null;
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        writes.shutdown();
        try {
            writes.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }
}
