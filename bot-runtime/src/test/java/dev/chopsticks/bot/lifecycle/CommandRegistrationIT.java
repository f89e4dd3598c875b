package dev.chopsticks.bot.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chopsticks.bot.cache.RedisConnector;
import dev.chopsticks.bot.identify.GatewayPod;
import dev.chopsticks.testinfra.RedisProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import org.junit.jupiter.api.Test;

/** Slash commands are registered once per deploy (definition hash), not once per pod or shard. */
class CommandRegistrationIT {
    private static final CommandsPayload V1 = CommandsPayload.of(List.of(Commands.slash("ping", "Pong")));
    private static final CommandsPayload V2 = CommandsPayload.of(List.of(Commands.slash("ping", "Pong!")));

    @Test
    void podsStartingTogetherRegisterOnceAndANewDeployRegistersAgain() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            AtomicInteger registrations = new AtomicInteger();
            CommandRegistration.Registrar registrar = payload -> {
                registrations.incrementAndGet();
                return 1;
            };
            List<RedisConnector> pods = new ArrayList<>();
            List<CompletableFuture<CommandRegistration.Outcome>> outcomes = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 4; i++) {
                RedisConnector client = GatewayPod.redis(redis.url());
                pods.add(client);
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return CommandRegistration.registerOnce(V1, registrar, Optional.of(client), "bot");
                }));
            }
            go.countDown();
            List<CommandRegistration.Outcome> results =
                    outcomes.stream().map(CompletableFuture::join).toList();
            assertThat(registrations).hasValue(1);
            assertThat(results)
                    .containsOnlyOnce(CommandRegistration.Outcome.REGISTERED)
                    .filteredOn(o -> o != CommandRegistration.Outcome.REGISTERED)
                    .containsOnly(CommandRegistration.Outcome.ALREADY_REGISTERED);

            // Changed definitions (a new deploy): registered again, once.
            assertThat(CommandRegistration.registerOnce(V2, registrar, Optional.of(pods.get(0)), "bot"))
                    .isEqualTo(CommandRegistration.Outcome.REGISTERED);
            assertThat(CommandRegistration.registerOnce(V2, registrar, Optional.of(pods.get(1)), "bot"))
                    .isEqualTo(CommandRegistration.Outcome.ALREADY_REGISTERED);
            assertThat(registrations).hasValue(2);
            pods.forEach(RedisConnector::close);
        }
    }

    @Test
    void aFailedRegistrationLeavesItToTheNextPod() {
        try (RedisProcess redis = RedisProcess.start()) {
            RedisConnector client = GatewayPod.redis(redis.url());
            CommandRegistration.Outcome failed = CommandRegistration.registerOnce(
                    V1,
                    payload -> {
                        throw new IOException("HTTP 503");
                    },
                    Optional.of(client),
                    "bot");
            assertThat(failed).isEqualTo(CommandRegistration.Outcome.FAILED);
            assertThat(CommandRegistration.registerOnce(V1, payload -> 1, Optional.of(client), "bot"))
                    .isEqualTo(CommandRegistration.Outcome.REGISTERED);
            client.close();
        }
    }

    @Test
    void theHashFollowsTheDefinitionsNotTheirOrder() {
        CommandsPayload ab = CommandsPayload.of(List.of(Commands.slash("a", "A"), Commands.slash("b", "B")));
        CommandsPayload ba = CommandsPayload.of(List.of(Commands.slash("b", "B"), Commands.slash("a", "A")));
        assertThat(ab.hash()).isEqualTo(ba.hash()).isNotEqualTo(V1.hash());
        assertThat(V1.hash()).isNotEqualTo(V2.hash());
    }
}
