package dev.chopsticks.bot.external;

/** The lead of a Wikipedia article. */
public record WikiSummary(String title, String extract, String url) {}
