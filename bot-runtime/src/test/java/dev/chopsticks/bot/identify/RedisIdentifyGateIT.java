package dev.chopsticks.bot.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.config.RedisConfig;
import dev.chopsticks.bot.config.Secret;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identify lease script against a real Redis: retries after a lost reply, and exclusivity per bucket. */
class RedisIdentifyGateIT {
    /** Keeps Redis busy for ARGV[1] microseconds: commands queued behind it time out on the client but still run. */
    private static final String BUSY = """
            local t = redis.call('TIME')
            local start = tonumber(t[1]) * 1000000 + tonumber(t[2])
            while true do
              t = redis.call('TIME')
              if tonumber(t[1]) * 1000000 + tonumber(t[2]) - start > tonumber(ARGV[1]) then return 0 end
            end""";

    private static final Duration LEASE = Duration.ofSeconds(20);

    private RedisProcess redis;
    private RedisConnector connector;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        // The production command timeout (REDIS_TIMEOUT_MS default)
        connector = new RedisConnector(new RedisConfig(
                Optional.of(new Secret(redis.url())), List.of(), Duration.ofSeconds(30), Duration.ofMillis(250)));
    }

    @AfterEach
    void stop() {
        connector.close();
        redis.close();
    }

    /**
     * A cold bot's first EVAL can outlast the 250 ms command timeout although Redis runs it and grants the lease. The
     * retry must find the lease its own, not wait it out (before the fix: the whole 20 s lease here, 6 s per rolling
     * step in the e2e rollouts). Redis is made slow by a busy script sent first on the same connection.
     */
    @Test
    void anAcquireWhoseReplyTimedOutIsGrantedOnRetryInsteadOfWaitingOutItsOwnLease() throws Exception {
        RedisIdentifyGate gate = new RedisIdentifyGate(connector, "test", LEASE, Duration.ofSeconds(60));
        connector.evalLong(BUSY, new String[] {"busy"}, "1000000");

        IdentifyGate.Lease lease = assertTimeoutPreemptively(
                LEASE.dividedBy(4), () -> gate.acquire(0, 3), "a retried acquire waited for its own lease");

        assertThat(pttl(gate.leaseKey(0))).as("the lease is held").isPositive();
        lease.release();
        assertThat(pttl(gate.leaseKey(0))).as("released by its holder").isEqualTo(-2L);
    }

    @Test
    void aRetriedAcquireIsGrantedOnlyToTheTokenHoldingTheLease() throws Exception {
        RedisIdentifyGate gate = new RedisIdentifyGate(connector, "test", LEASE, Duration.ofSeconds(60));
        String[] keys = {gate.leaseKey(0), "chopsticks:identify:{test:0}:waiters", "chopsticks:identify:{test:0}:seen"};

        assertThat(acquire(keys, "3", "token-a")).as("first acquire").isZero();
        assertThat(acquire(keys, "3", "token-a")).as("the same acquire retried").isZero();
        assertThat(acquire(keys, "4", "token-b"))
                .as("another shard of the bucket waits for the lease")
                .isPositive();
    }

    private long acquire(String[] keys, String shard, String token) throws Exception {
        return connector
                .evalLong(RedisIdentifyGate.ACQUIRE, keys, shard, token, Long.toString(LEASE.toMillis()), "3000")
                .toCompletableFuture()
                .get(2, TimeUnit.SECONDS);
    }

    private long pttl(String key) throws Exception {
        return connector
                .evalLong("return redis.call('PTTL', KEYS[1])", new String[] {key})
                .toCompletableFuture()
                .get(2, TimeUnit.SECONDS);
    }
}
