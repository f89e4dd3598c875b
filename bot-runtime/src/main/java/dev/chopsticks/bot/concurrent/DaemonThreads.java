package dev.chopsticks.bot.concurrent;

import java.util.concurrent.ThreadFactory;

/**
 * The bot's background threads. All are daemons: a stop bounded by its grace period (or a start that failed) must let
 * the JVM exit even if some pool was never shut down.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** For executors: every thread is a daemon called {@code name}. */
    public static ThreadFactory factory(String name) {
        return Thread.ofPlatform().name(name).daemon().factory();
    }

    /** One daemon thread called {@code name}, running {@code task}. */
    public static Thread start(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon().start(task);
    }
}
