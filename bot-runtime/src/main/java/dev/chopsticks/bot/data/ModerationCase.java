package dev.chopsticks.bot.data;

import java.time.Instant;

/** One moderation action; case numbers count up per guild from 1. */
public record ModerationCase(
        long guildId,
        int caseNumber,
        String action,
        long targetUserId,
        long moderatorUserId,
        String reason,
        Instant createdAt) {}
