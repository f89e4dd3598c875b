package dev.chopsticks.bot;

import dev.chopsticks.bot.config.ConfigException;
import dev.chopsticks.bot.config.EnvReader;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point: {@code run [--simulator [--shards N]]}, {@code local} (= run --simulator), {@code migrate},
 * {@code register-commands}, {@code loadtest}. Exit codes: 0 ok, 1 failed, 2 bad usage/config.
 */
public final class Main {
    private Main() {}

    /** One subcommand; returns the process exit code. */
    @FunctionalInterface
    interface Subcommand {
        int run(EnvReader env, String[] args) throws Exception;
    }

    static final Map<String, Subcommand> SUBCOMMANDS = Map.of(
            "run", RunCommand::run,
            "local", (env, args) -> RunCommand.run(env, local(args)),
            "migrate", MigrateCommand::run,
            "register-commands", RegisterCommandsCommand::run,
            "loadtest", LoadTestCommand::run);

    private static String[] local(String[] args) {
        String[] withFlag = Arrays.copyOf(args, args.length + 1);
        withFlag[args.length] = "--simulator";
        return withFlag;
    }

    public static void main(String[] args) {
        // Lettuce records JFR events by default, which loads the JFR runtime (~100 classes) on the start path.
        System.setProperty("io.lettuce.core.jfr", System.getProperty("io.lettuce.core.jfr", "false"));
        System.exit(execute(EnvReader.system(), args));
    }

    static int execute(EnvReader env, String[] args) {
        String name = args.length == 0 ? "run" : args[0];
        Subcommand sub = SUBCOMMANDS.get(name);
        if (sub == null) {
            System.err.println(
                    "usage: bot-runtime [run [--simulator [--shards N]]|local|migrate|register-commands|loadtest]");
            return 2;
        }
        try {
            return sub.run(env, Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
        } catch (ConfigException e) {
            // The promised single line: variable name and what is allowed, no stack trace, no secret.
            System.err.println("configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println(name + " failed: " + e);
            return 1;
        }
    }
}
