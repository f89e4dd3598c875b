package dev.chopsticks.bot.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.testinfra.RealServices;
import dev.chopsticks.bot.testinfra.TestDataLayers;
import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.RedisProcess;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Row-locked wallets, per-guild case numbers and batched command stats under concurrency, via PgBouncer. */
@ExtendWith(RealServices.class)
class WalletAndCasesIT {
    private final PgBouncerProcess pgBouncer;
    private final RedisProcess redis;
    private DataLayer a;
    private DataLayer b;

    WalletAndCasesIT(PgBouncerProcess pgBouncer, RedisProcess redis) {
        this.pgBouncer = pgBouncer;
        this.redis = redis;
    }

    @BeforeEach
    void start() {
        a = TestDataLayers.start(pgBouncer.postgresUrl(), redis.url());
        b = TestDataLayers.start(pgBouncer.postgresUrl(), redis.url());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static long id() {
        return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 60);
    }

    @Test
    void concurrentPaymentsNeverLoseCoinsOrGoNegative() throws Exception {
        List<Long> users = List.of(id(), id(), id(), id());
        for (long u : users) {
            a.userData().claimDaily(u);
        }
        long total = users.size() * UserDataStore.DAILY_AMOUNT;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<WalletRepository.TransferResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                int from = i % users.size();
                int to = (i * 7 + 1) % users.size();
                if (from == to) {
                    to = (to + 1) % users.size();
                }
                long fromId = users.get(from);
                long toId = users.get(to);
                DataLayer layer = i % 2 == 0 ? a : b;
                long amount = 1 + (i % 90);
                Callable<WalletRepository.TransferResult> pay =
                        () -> layer.userData().pay(fromId, toId, amount);
                results.add(pool.submit(pay));
            }
            int done = 0;
            int insufficient = 0;
            for (Future<WalletRepository.TransferResult> r : results) {
                switch (r.get()) {
                    case WalletRepository.TransferResult.Done d -> done++;
                    case WalletRepository.TransferResult.InsufficientFunds f -> insufficient++;
                }
            }
            assertThat(done + insufficient).isEqualTo(200);
            assertThat(done).isPositive();
        } finally {
            pool.shutdownNow();
        }
        long sum = 0;
        DataLayer reader = TestDataLayers.start(pgBouncer.postgresUrl(), null);
        try {
            for (long u : users) {
                long balance = reader.userData().wallet(u).value().balance();
                assertThat(balance).isNotNegative();
                sum += balance;
            }
        } finally {
            reader.close();
        }
        assertThat(sum).isEqualTo(total);
    }

    @Test
    void dailyCanBeClaimedOncePerCooldownEvenWhenRacing() throws Exception {
        long user = id();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<WalletRepository.DailyResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                DataLayer layer = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> layer.userData().claimDaily(user)));
            }
            int claimed = 0;
            for (Future<WalletRepository.DailyResult> r : results) {
                if (r.get() instanceof WalletRepository.DailyResult.Claimed) {
                    claimed++;
                }
            }
            assertThat(claimed).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(a.userData().wallet(user).value().balance()).isEqualTo(UserDataStore.DAILY_AMOUNT);
    }

    @Test
    void concurrentWarningsGetDistinctSequentialCaseNumbers() throws Exception {
        long guild = id();
        long target = id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ModerationCase>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                DataLayer layer = i % 2 == 0 ? a : b;
                String reason = "reason " + i;
                results.add(pool.submit(() -> layer.moderationCases().create(guild, "warn", target, 42L, reason)));
            }
            Set<Integer> numbers = new TreeSet<>();
            for (Future<ModerationCase> r : results) {
                numbers.add(r.get().caseNumber());
            }
            assertThat(numbers).hasSize(20).first().isEqualTo(1);
            assertThat(numbers).last().isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        List<ModerationCase> listed = a.moderationCases().list(guild, target, 5);
        assertThat(listed).extracting(ModerationCase::caseNumber).containsExactly(20, 19, 18, 17, 16);
        assertThat(a.moderationCases().list(guild, id(), 5)).isEmpty();
    }

    @Test
    void commandStatsBatchesAddUp() {
        LocalDate day = LocalDate.of(2031, 1, ThreadLocalRandom.current().nextInt(1, 28));
        String command = "cmd" + id();
        a.commandStats().addUsage(day, Map.of(command, 3L, "other" + id(), 1L));
        b.commandStats().addUsage(day, Map.of(command, 4L));
        assertThat(a.commandStats().usesOn(command, day)).isEqualTo(7);
    }
}
