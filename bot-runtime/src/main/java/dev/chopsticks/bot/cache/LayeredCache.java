package dev.chopsticks.bot.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * L1 (Caffeine, expire after write) → L2 (Redis, optional) → loader (PostgreSQL) for one kind of value.
 * Redis failures are absorbed: reads fall through to the loader, and invalidations that could not be sent are
 * replayed when Redis recovers.
 */
public final class LayeredCache<V> {
    private static final Logger log = LoggerFactory.getLogger(LayeredCache.class);
    /** Bounds memory if Redis stays down while many rows change; beyond it other shards rely on L1 TTL. */
    private static final int MAX_PENDING = 100_000;

    private final String namespace;
    private final Cache<Long, Versioned<V>> l1;
    private final ResilientRedis redis;
    private final InvalidationBus bus;
    private final Duration l2Ttl;
    private final ValueCodec<V> codec;
    private final CacheMetrics metrics;
    private final Set<Long> pendingInvalidations = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean replaying = new AtomicBoolean();

    /**
     * @param redis null when no Redis is configured (then {@code bus} must be null too)
     */
    public LayeredCache(
            String namespace,
            int l1Max,
            Duration l1Ttl,
            ResilientRedis redis,
            InvalidationBus bus,
            Duration l2Ttl,
            ValueCodec<V> codec,
            CacheMetrics metrics) {
        this.namespace = namespace;
        this.l1 =
                Caffeine.newBuilder().maximumSize(l1Max).expireAfterWrite(l1Ttl).build();
        this.redis = redis;
        this.bus = bus;
        this.l2Ttl = l2Ttl;
        this.codec = codec;
        this.metrics = metrics;
        if (bus != null) {
            bus.register(namespace, l1::invalidate, l1::invalidateAll);
        }
        if (redis != null) {
            redis.onRecovery(this::replayIfPending);
        }
    }

    public Versioned<V> get(long id, LongFunction<Versioned<V>> loader) {
        Versioned<V> hit = l1.getIfPresent(id);
        if (hit != null) {
            metrics.l1Hit();
            return hit;
        }
        metrics.l1Miss();
        // Caffeine runs one load per key at a time; concurrent readers of the same key wait for it.
        return l1.get(id, key -> loadBelowL1(key, loader));
    }

    public Optional<Versioned<V>> peekL1(long id) {
        return Optional.ofNullable(l1.getIfPresent(id));
    }

    /** After a successful database write: keep the fresh value locally, in Redis, and tell other processes. */
    public void written(long id, Versioned<V> fresh) {
        l1.put(id, fresh);
        if (redis == null) {
            return;
        }
        boolean stored = redis.setIfNewer(key(id), fresh.revision(), codec.encode(fresh.value()), l2Ttl);
        boolean told = bus.publish(namespace, id);
        if (!stored || !told) {
            remember(id);
        } else {
            replayIfPending();
        }
    }

    public long l1Size() {
        l1.cleanUp();
        return l1.estimatedSize();
    }

    public CacheStats stats() {
        return metrics.snapshot(l1Size());
    }

    public void invalidateLocal(long id) {
        l1.invalidate(id);
    }

    String key(long id) {
        return "chopsticks:" + namespace + ":" + id;
    }

    private Versioned<V> loadBelowL1(long id, LongFunction<Versioned<V>> loader) {
        if (redis != null) {
            L2Result l2 = redis.get(key(id));
            switch (l2) {
                case L2Result.Hit h -> {
                    replayIfPending();
                    Versioned<V> decoded = decode(h.value());
                    if (decoded != null) {
                        metrics.l2Hit();
                        return decoded;
                    }
                    metrics.l2Miss();
                }
                case L2Result.Miss m -> {
                    replayIfPending();
                    metrics.l2Miss();
                }
                case L2Result.Unavailable u -> metrics.l2Error();
            }
        }
        long start = System.nanoTime();
        Versioned<V> loaded;
        try {
            loaded = loader.apply(id);
        } catch (RuntimeException e) {
            metrics.dbLoad(System.nanoTime() - start, false);
            throw e;
        }
        metrics.dbLoad(System.nanoTime() - start, true);
        // Defaults (revision 0, never written) are cached too: most guilds are never configured, and without this
        // every L1 miss for them would reach PostgreSQL. A concurrent write stores revision >= 1 first, which
        // setIfNewer never overwrites with 0.
        if (redis != null) {
            redis.setIfNewer(key(id), loaded.revision(), codec.encode(loaded.value()), l2Ttl);
        }
        return loaded;
    }

    private Versioned<V> decode(String stored) {
        int sep = stored.indexOf('|');
        try {
            return new Versioned<>(codec.decode(stored.substring(sep + 1)), Long.parseLong(stored.substring(0, sep)));
        } catch (RuntimeException e) {
            log.warn("ignoring undecodable {} entry in Redis", namespace);
            return null;
        }
    }

    private void remember(long id) {
        if (pendingInvalidations.size() < MAX_PENDING) {
            pendingInvalidations.add(id);
        }
    }

    /**
     * Redis answered again: replay in the background. Triggered by any successful Redis call, not only by the
     * breaker closing, since a few failures may never open the breaker at all.
     */
    private void replayIfPending() {
        if (pendingInvalidations.isEmpty() || !replaying.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("cache-replay-" + namespace).start(() -> {
            try {
                replayPending();
            } finally {
                replaying.set(false);
            }
        });
    }

    /** Redis is back: drop L2 entries that may predate writes made during the outage and tell other processes. */
    private void replayPending() {
        int replayed = 0;
        for (Long id : pendingInvalidations) {
            if (redis.del(key(id)) && bus.publish(namespace, id)) {
                pendingInvalidations.remove(id);
                replayed++;
            } else {
                return;
            }
        }
        if (replayed > 0) {
            log.info("replayed {} {} invalidations after Redis recovered", replayed, namespace);
        }
    }
}
