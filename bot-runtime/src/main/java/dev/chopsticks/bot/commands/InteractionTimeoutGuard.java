package dev.chopsticks.bot.commands;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Discord fails an interaction not answered within 3 s. Past the deadline (2.5 s in production) the user gets the
 * guide's "Taking longer than expected" embed instead; a late result is dropped.
 */
public final class InteractionTimeoutGuard {
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(2500);

    private final Duration deadline;
    private final ScheduledExecutorService scheduler;

    public InteractionTimeoutGuard(Duration deadline, ScheduledExecutorService scheduler) {
        this.deadline = deadline;
        this.scheduler = scheduler;
    }

    public CompletableFuture<CommandReply> guard(CompletableFuture<CommandReply> work) {
        return guard(work, Duration.ZERO);
    }

    /**
     * @param alreadyElapsed time since the interaction arrived (a standby generation starts work after its claim
     *                       delay): the deadline counts from the arrival, as Discord's window does
     */
    public CompletableFuture<CommandReply> guard(CompletableFuture<CommandReply> work, Duration alreadyElapsed) {
        CompletableFuture<CommandReply> answer = new CompletableFuture<>();
        long left = Math.max(0, deadline.minus(alreadyElapsed).toNanos());
        var timer = scheduler.schedule(() -> answer.complete(Replies.takingLonger()), left, TimeUnit.NANOSECONDS);
        work.whenComplete((reply, error) -> {
            timer.cancel(false);
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(reply);
            }
        });
        return answer;
    }
}
