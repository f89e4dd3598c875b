package dev.chopsticks.bot.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's Discord session, held apart from JDA so that it can outlive the process: JDA talks to this relay as if
 * it were the gateway, the relay talks to Discord. Three ways to answer JDA's IDENTIFY:
 * <ol>
 *   <li>the relay holds a live session (JDA reconnected locally): READY and the guilds are replayed from memory;
 *   <li>a predecessor process saved a session: RESUME it on Discord, then replay READY and the saved guilds, then
 *       the dispatches Discord replays;
 *   <li>neither: JDA's IDENTIFY goes to Discord as is (the identify queue paced it).
 * </ol>
 * A saved session is taken over only by an active generation: in a standby one (the successor of a make-before-break
 * rollout) JDA's IDENTIFY waits, the shard reports Standby, and once the generation is active the relay waits (at
 * most {@link #TAKEOVER_PATIENCE_MS}) for the predecessor to mark the session released before it RESUMEs. A retiring
 * generation never saves or resumes a session again.
 * A RESUME that Discord refuses reaches JDA as op 9 {@code d: false}: JDA drops its cache and identifies through the
 * identify queue, as it would against Discord. All state is guarded by this object's lock.
 */
final class ShardRelay implements Upstream.Listener {
    private static final Logger log = LoggerFactory.getLogger(ShardRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INVALID_SESSION = "{\"op\":9,\"s\":null,\"t\":null,\"d\":false}";
    static final String HEARTBEAT_ACK = "{\"op\":11,\"s\":null,\"t\":null,\"d\":null}";
    /** Discord closes with these when retrying cannot help; JDA must see them to act (e.g. stop on a bad token). */
    private static final Set<Integer> FATAL = Set.of(4004, 4010, 4011, 4012, 4013, 4014);
    /** The session is gone on Discord's side: identify. */
    private static final Set<Integer> SESSION_GONE = Set.of(4007, 4009);
    /** JDA's heartbeat ack is never held longer than this, whatever Discord's latency (JDA reconnects on misses). */
    private static final long MAX_ACK_DELAY_MS = 5_000;
    /** Attempts at reading a saved session before the shard identifies instead. */
    private static final int MAX_UNUSABLE_READS = 5;
    /** Dispatches kept while JDA is not connected; beyond this JDA must start over from a fresh READY. */
    private static final int MAX_PENDING = 50_000;
    /** How often a successor looks whether its predecessor released the session, and how long it waits at most. */
    static final long TAKEOVER_POLL_MS = 20;

    static final long TAKEOVER_PATIENCE_MS = 5_000;

    private static final int PRELOAD_ATTEMPTS = 3;

    enum Mode {
        IDLE,
        /** JDA identified in a standby generation: the saved session is taken over once the generation is active. */
        WAITING,
        IDENTIFYING,
        RESUMING,
        LIVE
    }

    private final int shardId;
    private final int shardCount;
    private final RelayContext ctx;
    private final GuildState guilds = new GuildState();

    private Mode mode = Mode.IDLE;
    private Upstream upstream;
    private boolean connecting;
    private String identify;
    private String sessionId;
    private String resumeUrl;
    private ObjectNode ready;
    private long upstreamSeq;
    /** The upstream sequence of the last dispatch handed to JDA: what a successor resumes from. */
    private long forwardedSeq;
    /** Of the last dispatch handed to JDA while the generation was active: what a hand-off's successor resumes from. */
    private long activeSeq;

    private long takeoverDeadline;
    /** A waiting shard's JDA already got the predecessor's READY and guilds as saved at {@link #upstreamSeq}. */
    private boolean preloaded;
    /**
     * Replayed dispatches up to this sequence were handled by the predecessor: only cache updates of them go to
     * JDA (a preloaded takeover resumes from the older preload sequence, so JDA's cache catches up).
     */
    private long handledUpTo = -1;

    private long savedSeq = -1;
    private boolean fullSave;
    private long predecessorSavedAt;
    private boolean handingOff;
    private boolean promisedResume;
    private int unusableReads;

    private ScheduledFuture<?> heartbeat;
    private long heartbeatIntervalMs = 41_250;
    private boolean acked = true;
    private long heartbeatSentAt;
    private volatile long upstreamPingMs;

    private Downstream down;
    private boolean downReady;
    private long downSeq;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean overflowed;

    private record Pending(ObjectNode frame, long seq) {}

    ShardRelay(int shardId, int shardCount, RelayContext ctx) {
        this.shardId = shardId;
        this.shardCount = shardCount;
        this.ctx = ctx;
    }

    int shardId() {
        return shardId;
    }

    synchronized boolean holds(String session) {
        return sessionId != null && sessionId.equals(session) && mode == Mode.LIVE;
    }

    /**
     * Whether JDA's next IDENTIFY for this shard will be answered without one reaching Discord. A yes lets that
     * IDENTIFY skip the identify queue, so it is a promise: if the session turns out unusable, JDA is sent back to
     * the queue (op 9) rather than the IDENTIFY forwarded unpaced.
     */
    boolean canSkipIdentify() {
        boolean yes;
        synchronized (this) {
            yes = sessionId != null && (mode == Mode.LIVE || mode == Mode.RESUMING);
        }
        yes = yes || savedSession().isPresent();
        synchronized (this) {
            promisedResume = yes;
        }
        return yes;
    }

    private Optional<SavedSession> savedSession() {
        try {
            return ctx.store()
                    .session(shardId, shardCount)
                    .filter(s -> System.currentTimeMillis() - s.savedAtMillis()
                            < ctx.resumeWindow().toMillis());
        } catch (RuntimeException e) {
            log.warn("shard {}: hand-off store unreadable ({}), identifying", shardId, e.getMessage());
            return Optional.empty();
        }
    }

    // ---- JDA's side -------------------------------------------------------------------------------------------

    synchronized void onDownstreamIdentify(Downstream from, String payload) {
        attach(from);
        if (sessionId != null && mode == Mode.LIVE) {
            promisedResume = false;
            replayToJda();
            return;
        }
        if (mode == Mode.WAITING && preloaded) {
            promisedResume = false;
            replayToJda(); // JDA reconnected to the relay while waiting: the preloaded state again
            return;
        }
        if (mode == Mode.RESUMING || mode == Mode.IDENTIFYING || mode == Mode.WAITING) {
            promisedResume = false;
            return; // already on its way: READY (or the replay) follows
        }
        Optional<SavedSession> saved = savedSession();
        if (saved.isPresent() && !ctx.role().active()) {
            mode = Mode.WAITING;
            promisedResume = false;
            log.info(
                    "shard {}: warm; takes the session saved {} ms ago over once this generation is active",
                    shardId,
                    age(saved.get()));
            ctx.takeovers().execute(this::preloadThenStandBy);
            return;
        }
        String unusable = saved.isPresent() ? resume(saved.get()) : "no saved session";
        if (unusable == null) {
            return;
        }
        if (promisedResume) {
            // The identify queue was skipped for a resume that cannot happen now: JDA goes back to the queue, which
            // asks again. A saved session unreadable for a moment (Redis slow) is tried again a few times first.
            promisedResume = false;
            boolean retry = saved.isPresent() && ++unusableReads < MAX_UNUSABLE_READS;
            log.info(
                    "shard {}: saved session not usable ({}), {}",
                    shardId,
                    unusable,
                    retry ? "trying it again" : "JDA identifies through the queue");
            if (!retry) {
                unusableReads = 0;
                forgetSession();
            }
            from.send(INVALID_SESSION);
            return;
        }
        identify = payload;
        mode = Mode.IDENTIFYING;
        guilds.clear();
        connectUpstream(ctx.gatewayUrl());
    }

    /** RESUMEs a saved session on Discord; null when under way, else why the session cannot be used. */
    private String resume(SavedSession s) {
        Map<Long, String> stored;
        try {
            stored = ctx.store().guilds(shardId, shardCount);
        } catch (RuntimeException e) {
            return "guilds unreadable: " + e.getMessage();
        }
        ObjectNode readyData = parse(s.ready());
        if (readyData == null) {
            return "READY unreadable";
        }
        adopt(s, readyData, stored);
        predecessorSavedAt = s.savedAtMillis();
        mode = Mode.RESUMING;
        promisedResume = false;
        unusableReads = 0;
        log.info("shard {}: resuming session saved {} ms ago at seq {}", shardId, age(s), s.seq());
        connectUpstream(resumeUrl);
        return null;
    }

    /**
     * While waiting: loads the predecessor's session and guilds as saved now and replays them to JDA, so that the
     * takeover reads no guilds and JDA's cache (and the JVM's code for it) is warm when the events come. The takeover
     * then resumes from this older sequence; what the predecessor handled since reaches JDA as cache updates only.
     */
    private void preloadThenStandBy() {
        try {
            // a busy machine (the successor's JVMs starting) can make a read fail: the switch waits for the standby
            for (int attempt = 1; attempt <= PRELOAD_ATTEMPTS && !preload(); attempt++) {
                log.info("shard {}: preload attempt {} of {} failed", shardId, attempt, PRELOAD_ATTEMPTS);
            }
        } finally {
            // warm now, preloaded or not (then the takeover reads the guilds): the operator may switch
            synchronized (this) {
                if (mode == Mode.WAITING) {
                    ctx.events().standby(shardId);
                }
            }
        }
    }

    /** True when done (or nothing to preload), false when a read failed. */
    private boolean preload() {
        Optional<SavedSession> saved = savedSession();
        if (saved.isEmpty()) {
            return false; // it was there a moment ago: most likely a read that failed
        }
        Map<Long, String> stored;
        try {
            stored = ctx.store().guilds(shardId, shardCount);
        } catch (RuntimeException e) {
            log.info("shard {}: guilds not preloaded ({})", shardId, e.getMessage());
            return false;
        }
        ObjectNode readyData = parse(saved.get().ready());
        synchronized (this) {
            if (mode != Mode.WAITING || readyData == null || down == null) {
                return true;
            }
            SavedSession s = saved.get();
            adopt(s, readyData, stored);
            preloaded = true;
            replayToJda();
            log.info(
                    "shard {}: preloaded {} guilds at seq {}, waiting to take the session over",
                    shardId,
                    stored.size(),
                    s.seq());
        }
        return true;
    }

    /** Takes a saved session and its guilds as this relay's own, as of the saved sequence. */
    private void adopt(SavedSession s, ObjectNode readyData, Map<Long, String> stored) {
        guilds.load(stored);
        sessionId = s.sessionId();
        resumeUrl = s.resumeUrl();
        ready = readyData;
        upstreamSeq = s.seq();
        forwardedSeq = s.seq();
        activeSeq = s.seq();
        savedSeq = s.seq();
    }

    /** The generation became active: a waiting shard takes its saved session over. */
    synchronized void onActivated() {
        if (mode == Mode.WAITING) {
            takeoverDeadline = System.currentTimeMillis() + TAKEOVER_PATIENCE_MS;
            ctx.takeovers().execute(this::tryTakeOver);
        }
    }

    /**
     * Resumes once the predecessor released the session (it saved its last state and dropped the connection), or
     * after {@link #TAKEOVER_PATIENCE_MS} without (a predecessor that died saved its state at most 100 ms before).
     */
    private synchronized void tryTakeOver() {
        if (mode != Mode.WAITING || !ctx.role().active()) {
            return;
        }
        Optional<SavedSession> saved = savedSession();
        boolean patient = System.currentTimeMillis() < takeoverDeadline;
        // not released yet, or not readable this time (Redis busy): look again until the patience is spent
        if ((saved.isEmpty() || !saved.get().released()) && patient) {
            ctx.scheduler()
                    .schedule(
                            () -> ctx.takeovers().execute(this::tryTakeOver), TAKEOVER_POLL_MS, TimeUnit.MILLISECONDS);
            return;
        }
        if (saved.isPresent() && !saved.get().released()) {
            log.warn(
                    "shard {}: predecessor did not release the session in {} ms, resuming it",
                    shardId,
                    TAKEOVER_PATIENCE_MS);
        }
        if (preloaded && saved.isPresent() && saved.get().sessionId().equals(sessionId)) {
            handledUpTo = saved.get().seq();
            predecessorSavedAt = saved.get().savedAtMillis();
            mode = Mode.RESUMING;
            log.info(
                    "shard {}: resuming the preloaded session from seq {} (released at seq {})",
                    shardId,
                    upstreamSeq,
                    handledUpTo);
            connectUpstream(resumeUrl);
            return;
        }
        mode = Mode.IDLE;
        if (preloaded) {
            // the predecessor's session changed since the preload: JDA starts over from the saved one
            preloaded = false;
            clearSession();
            if (down != null) {
                down.send(INVALID_SESSION);
            }
            return;
        }
        String unusable = saved.isPresent() ? resume(saved.get()) : "no saved session";
        if (unusable != null) {
            log.info(
                    "shard {}: cannot take the session over ({}): JDA goes back to the identify queue, which asks"
                            + " again",
                    shardId,
                    unusable);
            if (down != null) {
                down.send(INVALID_SESSION);
            }
        }
    }

    /** JDA resumes its session with the relay (its socket to us broke): what it missed is still queued here. */
    synchronized void onDownstreamResume(Downstream from) {
        if (mode != Mode.LIVE || overflowed) {
            from.send(INVALID_SESSION);
            return;
        }
        attach(from);
        downReady = true;
        flushPending();
        send(dispatch("RESUMED", JSON.createObjectNode()));
    }

    synchronized void onDownstreamFrame(Downstream from, int op, String payload) {
        if (from != down) {
            return;
        }
        if (op == 1) {
            // JDA's gateway ping is what a heartbeat to Discord costs: the ack waits the relay's last measured round
            // trip (its own heartbeat to Discord), so `kubectl get shards` shows Discord's latency, not loopback.
            long delay = Math.min(upstreamPingMs, MAX_ACK_DELAY_MS);
            ctx.scheduler().schedule(() -> from.send(HEARTBEAT_ACK), delay, TimeUnit.MILLISECONDS);
        } else if (upstream != null && mode == Mode.LIVE) {
            upstream.send(payload); // presence, voice state, member requests: Discord's business
        }
    }

    synchronized void onDownstreamClosed(Downstream from) {
        if (from == down) {
            down = null;
            downReady = false;
        }
    }

    private void attach(Downstream from) {
        if (down != null && down != from) {
            down.close(4900, "replaced");
        }
        down = from;
        downReady = false;
        downSeq = 0;
    }

    // ---- Discord's side ---------------------------------------------------------------------------------------

    private void connectUpstream(String url) {
        connecting = true;
        Upstream.connect(url, this).whenComplete((u, e) -> {
            synchronized (this) {
                if (e != null) {
                    connecting = false;
                    log.warn("shard {}: gateway connect failed ({}), retrying", shardId, rootMessage(e));
                    ctx.scheduler().schedule(this::retryConnect, 2, TimeUnit.SECONDS);
                } else {
                    adopt(u);
                }
            }
        });
    }

    private synchronized void retryConnect() {
        if (upstream != null || connecting || handingOff) {
            return;
        }
        if (ctx.role().retiring() && sessionId != null) {
            letGo("generation retiring: the session belongs to the active one");
            return;
        }
        if (mode == Mode.RESUMING || mode == Mode.LIVE) {
            mode = Mode.RESUMING;
            connectUpstream(resumeUrl);
        } else if (mode == Mode.IDENTIFYING) {
            connectUpstream(ctx.gatewayUrl());
        }
    }

    private void adopt(Upstream u) {
        if (upstream == null && connecting) {
            upstream = u;
            connecting = false;
        }
    }

    @Override
    public synchronized void onFrame(Upstream from, String json) {
        adopt(from);
        if (from != upstream) {
            from.abort();
            return;
        }
        ObjectNode frame = parse(json);
        if (frame == null) {
            return;
        }
        int op = frame.path("op").asInt(-1);
        JsonNode d = frame.get("d");
        switch (op) {
            case 10 -> onHello(d);
            case 11 -> {
                if (!acked && heartbeatSentAt > 0) {
                    upstreamPingMs = Math.max(0, System.currentTimeMillis() - heartbeatSentAt);
                }
                acked = true;
            }
            case 1 -> sendHeartbeat();
            case 7 -> reconnect("op 7 RECONNECT");
            case 9 -> {
                if (d != null && d.asBoolean(false)) {
                    reconnect("op 9, resumable");
                } else {
                    invalidate("op 9 INVALID_SESSION");
                }
            }
            case 0 -> onDispatch(frame);
            default -> {}
        }
    }

    private void onHello(JsonNode d) {
        long interval = d == null ? 41_250 : d.path("heartbeat_interval").asLong(41_250);
        heartbeatIntervalMs = interval;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        acked = true;
        heartbeat = ctx.scheduler().scheduleAtFixedRate(this::heartbeatTick, interval, interval, TimeUnit.MILLISECONDS);
        if (mode == Mode.IDENTIFYING) {
            upstream.send(identify);
        } else if (mode == Mode.RESUMING) {
            ObjectNode resume = JSON.createObjectNode().put("op", 6);
            resume.putObject("d")
                    .put("token", ctx.token())
                    .put("session_id", sessionId)
                    .put("seq", upstreamSeq);
            upstream.send(resume.toString());
        }
    }

    private synchronized void heartbeatTick() {
        if (upstream == null) {
            return;
        }
        // A tick run late (a busy machine) right after the previous one is no evidence of a dead connection.
        if (System.currentTimeMillis() - heartbeatSentAt < heartbeatIntervalMs / 2) {
            return;
        }
        if (!acked) {
            reconnect("no heartbeat ack");
            return;
        }
        sendHeartbeat();
    }

    private void sendHeartbeat() {
        if (upstream != null) {
            acked = false;
            heartbeatSentAt = System.currentTimeMillis();
            upstream.send("{\"op\":1,\"d\":" + (upstreamSeq == 0 ? "null" : upstreamSeq) + "}");
        }
    }

    private void onDispatch(ObjectNode frame) {
        long s = frame.path("s").asLong(upstreamSeq);
        upstreamSeq = Math.max(upstreamSeq, s);
        String type = frame.path("t").asText();
        JsonNode d = frame.get("d");
        switch (type) {
            case "READY" -> {
                ObjectNode data = (ObjectNode) d;
                sessionId = data.path("session_id").asText();
                resumeUrl = data.path("resume_gateway_url").asText(ctx.gatewayUrl());
                ready = data.deepCopy();
                ready.remove("guilds");
                mode = Mode.LIVE;
                identify = null;
                fullSave = true;
                data.put("resume_gateway_url", ctx.relayUrl());
                downReady = down != null;
                forward(frame, s);
            }
            case "RESUMED" -> {
                mode = Mode.LIVE;
                handledUpTo = -1;
                preloaded = false;
                ctx.events().tookOver(shardId);
                ctx.metrics().resumed(System.currentTimeMillis() - predecessorSavedAt, predecessorSavedAt != 0);
                predecessorSavedAt = 0;
                log.info("shard {}: session resumed, {} dispatches replayed", shardId, pending.size());
                if (!downReady) {
                    replayToJda();
                }
            }
            default -> {
                guilds.apply(type, d);
                if (s <= handledUpTo && !GuildState.cacheOnly(type)) {
                    forwarded(s); // the predecessor handled it
                } else {
                    forward(frame, s);
                }
            }
        }
    }

    /** READY and every guild as GUILD_CREATE, then what Discord sent meanwhile: JDA builds its cache as usual. */
    private void replayToJda() {
        if (down == null) {
            return;
        }
        ObjectNode data = ready.deepCopy();
        data.put("session_id", sessionId);
        data.put("resume_gateway_url", ctx.relayUrl());
        ctx.events().resumed(shardId);
        ctx.metrics().identifySaved();
        List<ObjectNode> all = guilds.all();
        ArrayNode list = data.putArray("guilds");
        for (ObjectNode g : all) {
            list.addObject().put("id", g.path("id").asText()).put("unavailable", true);
        }
        send(dispatch("READY", data));
        for (ObjectNode g : all) {
            send(dispatch("GUILD_CREATE", g));
        }
        downReady = true;
        overflowed = false;
        flushPending();
    }

    private void forward(ObjectNode frame, long seq) {
        if (down != null && downReady && !handingOff) {
            send(frame);
            forwarded(seq);
        } else if (pending.size() < MAX_PENDING) {
            pending.add(new Pending(frame, seq));
        } else {
            overflowed = true;
        }
    }

    private void flushPending() {
        while (!pending.isEmpty() && !handingOff) {
            Pending p = pending.poll();
            send(p.frame());
            forwarded(p.seq());
        }
    }

    private void forwarded(long seq) {
        forwardedSeq = seq;
        if (ctx.role().active()) {
            activeSeq = seq;
        }
    }

    private void send(ObjectNode frame) {
        frame.put("s", ++downSeq);
        down.send(frame.toString());
    }

    private static ObjectNode dispatch(String type, ObjectNode data) {
        ObjectNode f = JSON.createObjectNode().put("op", 0).put("t", type);
        f.set("d", data);
        return f;
    }

    @Override
    public synchronized void onClosed(Upstream from, int code, String reason) {
        if (from != upstream) {
            return;
        }
        upstream = null;
        stopHeartbeat();
        if (handingOff) {
            return;
        }
        if (FATAL.contains(code)) {
            log.warn("shard {}: gateway closed {} ({}): passed to JDA", shardId, code, reason);
            forgetSession();
            mode = Mode.IDLE;
            if (down != null) {
                down.close(code, reason);
            }
        } else if (SESSION_GONE.contains(code)) {
            invalidate("close " + code);
        } else if (sessionId != null && ctx.role().retiring()) {
            letGo("connection ended (" + code + ") in a retiring generation");
        } else if (sessionId != null) {
            log.info("shard {}: gateway connection ended ({} {}), resuming", shardId, code, reason);
            mode = Mode.RESUMING;
            ctx.scheduler().schedule(this::retryConnect, 500, TimeUnit.MILLISECONDS);
        } else if (down != null) {
            // Closed before READY: JDA decides (it identifies again through the identify queue).
            mode = Mode.IDLE;
            down.close(code > 0 ? code : 4000, "gateway closed before READY");
        } else {
            mode = Mode.IDLE;
        }
    }

    private void reconnect(String why) {
        Upstream old = upstream;
        upstream = null;
        stopHeartbeat();
        if (old != null) {
            old.abort();
        }
        if (sessionId != null && ctx.role().retiring()) {
            letGo(why + " in a retiring generation");
            return;
        }
        log.info("shard {}: {}, resuming on a new connection", shardId, why);
        if (sessionId != null) {
            mode = Mode.RESUMING;
            connectUpstream(resumeUrl);
        } else if (mode == Mode.IDENTIFYING) {
            connectUpstream(ctx.gatewayUrl());
        }
    }

    /** Discord will not resume: forget everything, and let JDA identify (through the identify queue). */
    private void invalidate(String why) {
        boolean wasResuming = mode == Mode.RESUMING;
        log.info("shard {}: session invalid ({}), JDA identifies again", shardId, why);
        if (wasResuming) {
            ctx.metrics().resumeFailed();
        }
        Upstream old = upstream;
        upstream = null;
        stopHeartbeat();
        if (old != null) {
            old.abort();
        }
        forgetSession();
        mode = Mode.IDLE;
        if (down != null) {
            down.send(INVALID_SESSION);
        }
    }

    /** Forgets the session held here; what is saved stays. */
    private void clearSession() {
        sessionId = null;
        resumeUrl = null;
        ready = null;
        upstreamSeq = 0;
        forwardedSeq = 0;
        activeSeq = 0;
        savedSeq = -1;
        pending.clear();
        guilds.clear();
        guilds.takeRemoved();
    }

    private void forgetSession() {
        clearSession();
        if (ctx.role().retiring()) {
            return; // what is saved belongs to the active generation now
        }
        try {
            ctx.store().forget(shardId, shardCount);
        } catch (RuntimeException e) {
            log.warn("shard {}: could not clear the saved session ({})", shardId, e.getMessage());
        }
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    // ---- hand-off ---------------------------------------------------------------------------------------------

    /** Saves what changed since the last save; called every few hundred ms and once more at hand-off. */
    void persist() {
        Snapshot snap;
        synchronized (this) {
            snap = snapshot(false);
        }
        if (snap != null) {
            write(snap);
        }
    }

    private record Snapshot(SavedSession session, Map<Long, String> changed, Set<Long> removed, boolean full) {}

    /**
     * What to save, or null. A release (the last save, before the connection is dropped) is written even when
     * nothing changed, so the successor sees {@code released}; a retiring generation saves nothing else. A release
     * of a retiring generation's session resumes from the last dispatch JDA got while the generation was active:
     * later ones JDA ignored, and the successor gets them replayed.
     */
    private Snapshot snapshot(boolean release) {
        if (sessionId == null || ready == null) {
            return null;
        }
        boolean held = mode == Mode.LIVE || (release && mode == Mode.RESUMING);
        if (!held || (!release && ctx.role().retiring())) {
            return null;
        }
        boolean full = fullSave;
        Map<Long, String> changed = full ? guilds.takeAll() : guilds.takeDirty();
        if (!release && !full && changed.isEmpty() && forwardedSeq == savedSeq) {
            return null;
        }
        fullSave = false;
        savedSeq = forwardedSeq;
        long seq = ctx.role().retiring() && activeSeq > 0 ? Math.min(forwardedSeq, activeSeq) : forwardedSeq;
        SavedSession s =
                new SavedSession(sessionId, seq, resumeUrl, ready.toString(), System.currentTimeMillis(), release);
        return new Snapshot(s, changed, guilds.takeRemoved(), full);
    }

    private void write(Snapshot snap) {
        try {
            ctx.store().save(shardId, shardCount, snap.session(), snap.changed(), snap.removed());
        } catch (RuntimeException e) {
            synchronized (this) {
                fullSave = true; // what this save carried is written in full next time
                savedSeq = -1;
            }
            log.debug("shard {}: session save failed ({})", shardId, e.getMessage());
        }
    }

    /**
     * Stops handing dispatches to JDA, saves the session as of the last one JDA got, and drops the connection without
     * a 1000 close, so Discord keeps the session for the successor. Whatever arrived after is replayed to it.
     */
    void handOff() {
        Snapshot snap;
        Upstream old;
        synchronized (this) {
            handingOff = true;
            snap = snapshot(true);
            old = upstream;
            upstream = null;
            stopHeartbeat();
        }
        if (snap != null) {
            write(snap);
        }
        if (old != null) {
            old.abort();
        }
    }

    /**
     * The active generation resumes this session (the switch of a make-before-break rollout): hand it off as at a
     * SIGTERM, then let JDA go back to waiting, so this process could take a session over again if its generation
     * became active once more.
     */
    void release() {
        handOff();
        synchronized (this) {
            letGo("session handed over to the active generation");
        }
    }

    /**
     * Forgets the session here without touching what is saved (it is the active generation's now); JDA's connection
     * to the relay is closed resumably, so JDA comes back and waits for a session to take over.
     */
    private void letGo(String why) {
        log.info("shard {}: {}: session let go", shardId, why);
        Upstream old = upstream;
        upstream = null;
        stopHeartbeat();
        if (old != null) {
            old.abort();
        }
        clearSession();
        mode = Mode.IDLE;
        handingOff = false;
        if (down != null) {
            down.close(4000, "session handed over");
        }
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n instanceof ObjectNode o ? o : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static long age(SavedSession s) {
        return System.currentTimeMillis() - s.savedAtMillis();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
