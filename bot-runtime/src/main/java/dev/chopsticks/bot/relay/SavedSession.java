package dev.chopsticks.bot.relay;

/**
 * What a successor process needs to RESUME a shard's Discord session: the session, the sequence of the last dispatch
 * handed to the bot, where to resume, and READY's data (without its guild list) to replay READY to its own JDA.
 *
 * @param savedAtMillis wall-clock time of the save: the hand-off gap is measured from it
 * @param released the saving process dropped the connection and will not touch the session again (a SIGTERM or a
 *     hand-off to a new generation): a successor waiting for it may resume at once
 */
public record SavedSession(
        String sessionId, long seq, String resumeUrl, String ready, long savedAtMillis, boolean released) {}
