package dev.chopsticks.bot.cache;

/** Turns cached values into the text stored in Redis and back. */
public interface ValueCodec<V> {
    String encode(V value);

    V decode(String text);
}
