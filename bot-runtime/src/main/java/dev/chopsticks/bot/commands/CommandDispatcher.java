package dev.chopsticks.bot.commands;

import dev.chopsticks.bot.data.ConcurrentUpdateException;
import dev.chopsticks.bot.data.DataUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command off the gateway thread, under the timeout guard, turning failures into friendly replies. */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandRegistry registry;
    private final CommandUsage usage;
    private final InteractionTimeoutGuard guard;
    private final ExecutorService executor;

    public CommandDispatcher(
            CommandRegistry registry, CommandUsage usage, InteractionTimeoutGuard guard, ExecutorService executor) {
        this.registry = registry;
        this.usage = usage;
        this.guard = guard;
        this.executor = executor;
    }

    public CompletableFuture<CommandReply> dispatch(CommandRequest request) {
        return dispatch(request, Duration.ZERO);
    }

    /** @param alreadyElapsed time since the interaction arrived; the timeout guard's deadline counts from then */
    public CompletableFuture<CommandReply> dispatch(CommandRequest request, Duration alreadyElapsed) {
        SlashCommand command = registry.find(request.name()).orElse(null);
        if (command == null) {
            return CompletableFuture.completedFuture(Replies.error("Unknown command `/" + request.name() + "`."));
        }
        usage.record(command.name());
        CompletableFuture<CommandReply> work = CompletableFuture.supplyAsync(() -> run(command, request), executor);
        return guard.guard(work, alreadyElapsed);
    }

    private static CommandReply run(SlashCommand command, CommandRequest request) {
        try {
            return command.execute(request);
        } catch (DataUnavailableException e) {
            log.warn("/{} failed: {}", command.name(), e.getMessage());
            return Replies.databaseUnavailable();
        } catch (ConcurrentUpdateException e) {
            log.warn("/{} gave up: {}", command.name(), e.getMessage());
            return Replies.busy();
        } catch (RuntimeException e) {
            log.error("/{} failed", command.name(), e);
            return Replies.error("Something went wrong running this command.");
        }
    }
}
