package dev.chopsticks.bot.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chopsticks.bot.commands.CommandDispatcher;
import dev.chopsticks.bot.commands.CommandOptions;
import dev.chopsticks.bot.commands.CommandRegistry;
import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.CommandUsage;
import dev.chopsticks.bot.commands.InteractionTimeoutGuard;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.ShardContext;
import dev.chopsticks.bot.commands.UserRef;
import dev.chopsticks.bot.commands.builtin.GithubCommand;
import dev.chopsticks.bot.commands.builtin.WeatherCommand;
import dev.chopsticks.bot.commands.builtin.WikiCommand;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Breakers against a local fake upstream that fails or hangs; dispatch goes through the real timeout guard. */
class ExternalBreakerTest {
    static final ShardContext SHARD = new ShardContext() {
        public int shardId() {
            return 0;
        }

        public int shardCount() {
            return 1;
        }

        public long gatewayPingMs() {
            return 1;
        }

        public long restPingMs() {
            return 1;
        }
    };

    private final FakeUpstream upstream = new FakeUpstream();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private ExternalBreakers breakers;
    private CommandDispatcher dispatcher;

    private void start(BreakerSettings settings) {
        breakers = new ExternalBreakers(settings, meters);
        CommandRegistry registry = new CommandRegistry()
                .register(new WeatherCommand(
                        new WeatherClient(upstream.uri(), new GuardedHttp("weather", http, breakers))))
                .register(
                        new GithubCommand(new GithubClient(upstream.uri(), new GuardedHttp("github", http, breakers))))
                .register(new WikiCommand(new WikiClient(upstream.uri(), new GuardedHttp("wiki", http, breakers))));
        dispatcher = new CommandDispatcher(
                registry,
                new CommandUsage(),
                new InteractionTimeoutGuard(InteractionTimeoutGuard.DEFAULT_DEADLINE, scheduler),
                executor);
    }

    @AfterEach
    void stop() {
        upstream.close();
        breakers.close();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    private CommandReply weather(String city) {
        return dispatcher.dispatch(request("weather", Map.of("city", city))).join();
    }

    static CommandRequest request(String name, Map<String, Object> options) {
        return new CommandRequest(
                name, null, new CommandOptions(options), 1L, "Guild", 2L, new UserRef(3L, "alice"), true, true, SHARD);
    }

    private void tripWeatherBreaker() {
        upstream.mode(FakeUpstream.Mode.FAIL);
        for (int i = 0; i < 5; i++) {
            CommandReply r = weather("Berlin");
            assertThat(r.embeds().getFirst().description()).contains("couldn't get an answer");
        }
        assertThat(breakers.breaker("weather").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void happyPathRendersTheUpstreamAnswer() {
        start(BreakerSettings.guide());
        upstream.body(FakeUpstream.WTTR_BERLIN);
        CommandReply reply = weather("Berlin");
        assertThat(reply.plainText()).contains("Weather in Berlin, Germany", "Sunny", "21 °C");
        assertThat(upstream.lastPath()).isEqualTo("/Berlin?format=j1");
        upstream.body(FakeUpstream.GITHUB_REPO);
        assertThat(dispatcher
                        .dispatch(request("github", Map.of("repo", "octo/cat")))
                        .join()
                        .plainText())
                .contains("octo/cat", "1234");
        assertThat(upstream.lastPath()).isEqualTo("/repos/octo/cat");
        upstream.body(FakeUpstream.WIKI_SUMMARY);
        assertThat(dispatcher
                        .dispatch(request("wiki", Map.of("query", "Chopsticks")))
                        .join()
                        .plainText())
                .contains("equal-length sticks");
        assertThat(upstream.lastPath()).isEqualTo("/page/summary/Chopsticks");
    }

    @Test
    void openBreakerAnswersWithDegradedEmbedWithin50msWithoutCallingUpstream() {
        start(BreakerSettings.guide());
        tripWeatherBreaker();
        int hitsWhenOpened = upstream.hits();

        long start = System.nanoTime();
        CommandReply reply = weather("Berlin");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMs).isLessThan(50);
        assertThat(reply.embeds().getFirst().title()).contains("unavailable");
        assertThat(reply.embeds().getFirst().description()).contains("not calling it");
        assertThat(upstream.hits()).isEqualTo(hitsWhenOpened);
        // Other upstreams have their own breakers and stay closed.
        assertThat(breakers.states()).containsEntry("weather", "open").containsEntry("github", "closed");
        assertThat(meters.get("resilience4j.circuitbreaker.state")
                        .tags("name", "weather", "state", "open")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
    }

    @Test
    void halfOpenAfterTheWaitThenClosesWhenUpstreamRecovers() {
        start(BreakerSettings.guide().withOpenWait(Duration.ofMillis(300)));
        tripWeatherBreaker();
        upstream.mode(FakeUpstream.Mode.OK).body(FakeUpstream.WTTR_BERLIN);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> breakers.breaker("weather").getState() == CircuitBreaker.State.HALF_OPEN);
        assertThat(breakers.states()).containsEntry("weather", "half_open");

        assertThat(weather("Berlin").plainText()).contains("Sunny");
        assertThat(breakers.breaker("weather").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void hangingUpstreamShowsTakingLongerThanExpectedAt2500ms() {
        start(BreakerSettings.guide());
        upstream.mode(FakeUpstream.Mode.HANG);
        long start = System.nanoTime();
        CommandReply reply = weather("Berlin");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(reply.embeds().getFirst().title()).isEqualTo(Replies.TAKING_LONGER_TITLE);
        assertThat(elapsedMs).isBetween(2500L, 4499L);
    }

    @Test
    void timeLimiterCountsHangsAsFailuresAndOpensTheBreaker() {
        start(BreakerSettings.guide().withTimeout(Duration.ofMillis(100)));
        upstream.mode(FakeUpstream.Mode.HANG);
        for (int i = 0; i < 5; i++) {
            assertThat(weather("Berlin").plainText()).contains("couldn't get an answer");
        }
        assertThat(breakers.breaker("weather").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void notFoundIsAHealthyAnswerAndNeverOpensTheBreaker() {
        start(BreakerSettings.guide());
        upstream.mode(FakeUpstream.Mode.NOT_FOUND);
        for (int i = 0; i < 8; i++) {
            assertThat(dispatcher
                            .dispatch(request("github", Map.of("repo", "octo/missing")))
                            .join()
                            .plainText())
                    .contains("not found");
        }
        assertThat(breakers.breaker("github").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void unreadableAnswerIsDegradedButNotABreakerFailure() {
        start(BreakerSettings.guide());
        upstream.body("<html>not json");
        for (String command : new String[] {"weather", "wiki"}) {
            String option = command.equals("weather") ? "city" : "query";
            assertThat(dispatcher
                            .dispatch(request(command, Map.of(option, "Berlin")))
                            .join()
                            .plainText())
                    .contains("couldn't get an answer");
            assertThat(breakers.breaker(command).getMetrics().getNumberOfFailedCalls())
                    .isZero();
        }
    }
}
