package dev.chopsticks.bot.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.data.CommandStatsRepository;
import dev.chopsticks.bot.data.ConcurrentUpdateException;
import dev.chopsticks.bot.data.DataUnavailableException;
import dev.chopsticks.bot.data.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class CommandDispatcherTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final CommandUsage usage = new CommandUsage();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    record Stub(String name, Function<CommandRequest, CommandReply> body) implements SlashCommand {
        public String description() {
            return "stub";
        }

        public SlashCommandData definition() {
            return Commands.slash(name, "stub");
        }

        public CommandReply execute(CommandRequest request) {
            return body.apply(request);
        }
    }

    private CommandDispatcher dispatcher(Duration deadline) {
        CommandRegistry registry = new CommandRegistry()
                .register(new Stub("ok", r -> CommandReply.text("fine")))
                .register(new Stub("db", r -> {
                    throw new DataUnavailableException("x", null);
                }))
                .register(new Stub("busy", r -> {
                    throw new ConcurrentUpdateException("x", 10);
                }))
                .register(new Stub("bug", r -> {
                    throw new IllegalStateException("secret internals");
                }))
                .register(new Stub("slow", r -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return CommandReply.text("late");
                }));
        return new CommandDispatcher(registry, usage, new InteractionTimeoutGuard(deadline, scheduler), executor);
    }

    static CommandRequest request(String name) {
        return new CommandRequest(
                name, null, CommandOptions.none(), 1, "G", 2, new UserRef(3, "u"), false, false, null);
    }

    @Test
    void failuresBecomeFriendlyRepliesWithoutInternals() {
        CommandDispatcher d = dispatcher(Duration.ofSeconds(5));
        assertThat(d.dispatch(request("ok")).join().content()).isEqualTo("fine");
        assertThat(d.dispatch(request("db")).join().plainText()).contains("Storage unavailable", "nothing was changed");
        assertThat(d.dispatch(request("busy")).join().plainText()).contains("Busy");
        assertThat(d.dispatch(request("bug")).join().plainText())
                .contains("Something went wrong")
                .doesNotContain("secret");
        assertThat(d.dispatch(request("nope")).join().plainText()).contains("Unknown command");
    }

    @Test
    void guardAnswersWhenTheCommandOverrunsTheDeadline() {
        CommandDispatcher d = dispatcher(Duration.ofMillis(100));
        assertThat(d.dispatch(request("slow")).join().embeds().getFirst().title())
                .isEqualTo(Replies.TAKING_LONGER_TITLE);
    }

    @Test
    void guardDeadlineCountsFromTheInteractionsArrival() throws Exception {
        // A standby generation starts work after its claim delay: the guard must not give it a fresh 2.5 s.
        CommandDispatcher d = dispatcher(Duration.ofHours(1));
        CommandReply reply = d.dispatch(request("slow"), Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        assertThat(reply.embeds().getFirst().title()).isEqualTo(Replies.TAKING_LONGER_TITLE);
    }

    @Test
    void usageIsCountedInMemoryAndRestoredWhenAFlushFails() {
        CommandDispatcher d = dispatcher(Duration.ofSeconds(5));
        d.dispatch(request("ok")).join();
        d.dispatch(request("ok")).join();
        d.dispatch(request("db")).join();
        assertThat(usage.pending("ok")).isEqualTo(2);

        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
        new CommandUsageFlusher(usage, new CommandStatsRepository(new Jdbc(nowhere)), Clock.systemUTC()).flush();

        assertThat(usage.drain()).isEqualTo(Map.of("ok", 2L, "db", 1L));
        assertThat(usage.drain()).isEmpty();
    }
}
