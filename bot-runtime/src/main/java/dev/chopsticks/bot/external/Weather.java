package dev.chopsticks.bot.external;

/** Current conditions for a place. */
public record Weather(
        String place,
        String country,
        int temperatureC,
        int feelsLikeC,
        String description,
        int humidityPercent,
        int windKmh) {}
