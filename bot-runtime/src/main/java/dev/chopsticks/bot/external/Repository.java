package dev.chopsticks.bot.external;

/** A GitHub repository summary. */
public record Repository(
        String fullName, String description, long stars, long forks, long openIssues, String language, String url) {}
