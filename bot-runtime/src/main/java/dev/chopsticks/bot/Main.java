package dev.chopsticks.bot;

import dev.chopsticks.bot.config.ConfigException;
import dev.chopsticks.bot.config.EnvReader;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point: {@code run}, {@code migrate}, {@code dashboard}, {@code register-commands}, {@code loadtest}. Exit codes:
 * 0 ok, 1 failed, 2 bad usage/config.
 */
public final class Main {
    private Main() {}

    /** One subcommand; returns the process exit code. */
    @FunctionalInterface
    public interface Subcommand {
        int run(EnvReader env, String[] args) throws Exception;
    }

    static final Map<String, Subcommand> SUBCOMMANDS = Map.of(
            "run", RunCommand::run,
            "migrate", MigrateCommand::run,
            "dashboard", DashboardCommand::run,
            "register-commands", RegisterCommandsCommand::run,
            "loadtest", LoadTestCommand::run);

    public static void main(String[] args) {
        jvmSettings();
        System.exit(execute(EnvReader.system(), args));
    }

    /** For another program built on this jar: the same JVM settings and exit codes as the subcommands. */
    public static void launch(String name, Subcommand program, String[] args) {
        jvmSettings();
        System.exit(run(name, program, EnvReader.system(), args));
    }

    private static void jvmSettings() {
        // Lettuce records JFR events by default, which loads the JFR runtime (~100 classes) on the start path.
        System.setProperty("io.lettuce.core.jfr", System.getProperty("io.lettuce.core.jfr", "false"));
    }

    static int execute(EnvReader env, String[] args) {
        String name = args.length == 0 ? "run" : args[0];
        Subcommand sub = SUBCOMMANDS.get(name);
        if (sub == null) {
            System.err.println("usage: bot-runtime [run|migrate|dashboard|register-commands|loadtest]");
            return 2;
        }
        return run(name, sub, env, Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    }

    private static int run(String name, Subcommand sub, EnvReader env, String[] args) {
        try {
            return sub.run(env, args);
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
