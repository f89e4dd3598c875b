package dev.chopsticks.e2e;

import dev.chopsticks.discordsim.control.SimControl;
import dev.chopsticks.discordsim.interaction.InteractionOutcome;
import dev.chopsticks.discordsim.interaction.SlashCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slash commands injected into the Discord simulator at a steady rate while a scenario runs, as Discord users would
 * send them: {@code /ping} and {@code /balance} (PostgreSQL through PgBouncer, Redis) in turn, guilds spread over every
 * shard. Each one is classified once its outcome is known: answered (the bot's final reply arrived within Discord's
 * limits), unanswered, or not deliverable because no gateway session held the guild at that moment.
 */
final class InteractionTraffic implements AutoCloseable {
    enum Outcome {
        ANSWERED,
        UNANSWERED,
        NO_SESSION
    }

    record Sent(long guild, Instant at, Outcome outcome, Duration latency) {}

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final SimControl discord;
    private final List<Long> guilds;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong next = new AtomicLong();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private InteractionTraffic(SimControl discord, List<Long> guilds) {
        this.discord = discord;
        this.guilds = guilds;
    }

    /** Starts sending {@code perSecond} interactions per second over {@code guilds}. */
    static InteractionTraffic start(SimControl discord, List<Long> guilds, int perSecond) {
        InteractionTraffic traffic = new InteractionTraffic(discord, List.copyOf(guilds));
        long periodMicros = 1_000_000L / perSecond;
        traffic.ticker.scheduleAtFixedRate(traffic::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
        return traffic;
    }

    private void sendOne() {
        long n = next.getAndIncrement();
        // a stride coprime to the guild count walks every guild, hence every shard, evenly
        long guild = guilds.get((int) ((n * 7919) % guilds.size()));
        String command = n % 2 == 0 ? "ping" : "balance";
        Instant at = Instant.now();
        waiters.execute(() -> {
            long id;
            try {
                id = discord.injectSlashCommand(SlashCommand.of(command, guild)).id();
            } catch (IllegalStateException noSession) {
                sent.add(new Sent(guild, at, Outcome.NO_SESSION, null));
                return;
            }
            InteractionOutcome outcome = discord.awaitReply(id, REPLY_TIMEOUT);
            sent.add(
                    outcome.complete()
                            ? new Sent(guild, at, Outcome.ANSWERED, outcome.finalResponse())
                            : new Sent(guild, at, Outcome.UNANSWERED, null));
        });
    }

    /** How many have been answered so far. */
    long answeredSoFar() {
        return sent.stream().filter(s -> s.outcome() == Outcome.ANSWERED).count();
    }

    /** Stops sending and waits for the outcome of everything sent. */
    List<Sent> stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        waiters.shutdown();
        waiters.awaitTermination(REPLY_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        return List.copyOf(sent);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
