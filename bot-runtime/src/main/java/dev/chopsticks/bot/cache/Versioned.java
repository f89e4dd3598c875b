package dev.chopsticks.bot.cache;

/** A value with the row revision it was read at; revision 0 means "no row yet". */
public record Versioned<T>(T value, long revision) {}
