package dev.chopsticks.bot.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start acquired, released in reverse order by one {@link #close}: the same code serves a start that failed
 * half-way and a normal stop. A release that fails is logged and the others still run.
 */
public final class Teardown implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Teardown.class);

    private record Step(String name, AutoCloseable release) {}

    private final Deque<Step> steps = new ArrayDeque<>();

    /** Registers {@code resource} (or a release action) to be closed before everything registered earlier. */
    public synchronized <T extends AutoCloseable> T add(String name, T resource) {
        steps.push(new Step(name, resource));
        return resource;
    }

    @Override
    public synchronized void close() {
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.release().close();
            } catch (Exception e) {
                log.warn("stopping {} failed", step.name(), e);
            }
        }
    }
}
