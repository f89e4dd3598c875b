package dev.chopsticks.bot.relay;

/** JDA's connection to the relay. */
interface Downstream {
    void send(String json);

    void close(int code, String reason);
}
