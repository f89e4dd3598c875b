package dev.chopsticks.bot.commands.builtin;

import dev.chopsticks.bot.commands.CommandReply;
import dev.chopsticks.bot.commands.CommandRequest;
import dev.chopsticks.bot.commands.Embed;
import dev.chopsticks.bot.commands.Replies;
import dev.chopsticks.bot.commands.SlashCommand;
import dev.chopsticks.bot.external.NotFoundException;
import dev.chopsticks.bot.external.UpstreamException;
import dev.chopsticks.bot.external.Weather;
import dev.chopsticks.bot.external.WeatherClient;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

/** /weather city: current conditions (upstream behind a circuit breaker). */
public final class WeatherCommand implements SlashCommand {
    private final WeatherClient client;

    public WeatherCommand(WeatherClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return "weather";
    }

    @Override
    public String description() {
        return "Current weather for a place";
    }

    @Override
    public SlashCommandData definition() {
        return Commands.slash(name(), description()).addOption(OptionType.STRING, "city", "City or place", true);
    }

    @Override
    public CommandReply execute(CommandRequest request) {
        String city = request.options().string("city").map(String::strip).orElse("");
        if (city.isEmpty() || city.length() > 100) {
            return Replies.error("Give a place name (max 100 characters).");
        }
        try {
            Weather w = client.current(city);
            String where = w.country().isEmpty() ? w.place() : w.place() + ", " + w.country();
            return CommandReply.embed(Embed.of("🌤️ Weather in " + where, w.description(), Embed.BLUE)
                    .field("Temperature", w.temperatureC() + " °C (feels like " + w.feelsLikeC() + " °C)", true)
                    .field("Humidity", w.humidityPercent() + " %", true)
                    .field("Wind", w.windKmh() + " km/h", true));
        } catch (NotFoundException e) {
            return Replies.error("I couldn't find weather for **" + city + "**.");
        } catch (UpstreamException e) {
            return Replies.degraded("The weather service", e.breakerOpen());
        }
    }
}
