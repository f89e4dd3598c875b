package dev.chopsticks.podrunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line of the runnable jar. */
record PodRunnerCli(PodRunnerConfig.Builder config, String kubeconfig, String namespace, boolean help) {

    static final String USAGE = """
      usage: java -jar pod-runner.jar --image-command 'GLOB=COMMAND' [options]

      Runs a local process for every scheduled Pod matching the selector (a kubelet shim for kwok clusters).
        --image-command GLOB=CMD  image glob to local command, repeatable, first match wins; the container's
                                  command and args are appended. e.g.
                                  'chopsticks/bot-runtime*=java -jar /abs/bot-runtime.jar'
        --kubeconfig PATH         default: $KUBECONFIG, then ~/.kube/config
        --namespace NS            default: the kubeconfig context's namespace, else "default"
        --selector SELECTOR       label selector (default app.kubernetes.io/component=shard)
        --port-env NAME           variable given each process's own loopback port (default HTTP_PORT)
        --log-dir DIR             per-Pod logs DIR/<ns>/<pod>-<uid>.log (default target/pod-runner)
        --work-dir DIR            working directory of the processes (default: the runner's)
        --env NAME=VALUE          extra variable for every process, under the Pod's own; repeatable
        --inherit-env A,B,...     runner variables passed on (default PATH,HOME,USER,JAVA_HOME,LANG,LC_ALL,TZ,TMPDIR)
        --restart-backoff MIN:MAX restart delay, doubling (default 1s:30s)
        --no-restart-status       do not write restartCount/state to the Pod status
        --readiness-bridge        write the readiness probe's result to the Pod's Ready condition
        --readiness-period DUR    readiness poll period (default 1s)
        --hold-termination        finalizer keeping a deleted Pod Terminating until its process exited
        --start-nice N            start processes at niceness N (1..19), 0 once their readiness probe passes
        --start-spacing DUR       at least DUR between two process starts (default 0: none)
        --service-account-tokens  give each process KUBECONFIG with its Pod's ServiceAccount token (bound to the
                                  Pod), instead of a runner-level KUBECONFIG; none when automount is off
        --shutdown-grace-cap DUR  longest wait per process on runner shutdown (default 10s)
      Durations: 500ms, 2s, 1m, or ISO-8601 (PT2S).
      """;

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    static PodRunnerCli parse(String[] args) {
        PodRunnerConfig.Builder config = PodRunnerConfig.builder();
        String kubeconfig = null;
        String namespace = null;
        boolean help = false;
        boolean anyRule = false;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            switch (flag) {
                case "-h", "--help" -> help = true;
                case "--image-command" -> {
                    config.imageCommand(value(flag, rest));
                    anyRule = true;
                }
                case "--kubeconfig" -> kubeconfig = value(flag, rest);
                case "--namespace", "-n" -> namespace = value(flag, rest);
                case "--selector", "-l" -> config.labelSelector(value(flag, rest));
                case "--port-env" -> config.portEnv(value(flag, rest));
                case "--log-dir" -> config.logDir(Path.of(value(flag, rest)));
                case "--work-dir" -> config.workingDir(Path.of(value(flag, rest)));
                case "--env" -> {
                    String pair = value(flag, rest);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--env wants NAME=VALUE, got " + pair);
                    }
                    config.env(pair.substring(0, eq), pair.substring(eq + 1));
                }
                case "--inherit-env" ->
                    config.inheritedEnv(List.of(value(flag, rest).split(",")));
                case "--restart-backoff" -> {
                    String[] range = value(flag, rest).split(":");
                    if (range.length != 2) {
                        throw new IllegalArgumentException("--restart-backoff wants MIN:MAX, e.g. 1s:30s");
                    }
                    config.restartBackoff(duration(range[0]), duration(range[1]));
                }
                case "--no-restart-status" -> config.recordRestarts(false);
                case "--readiness-bridge" -> config.readinessBridge(true);
                case "--readiness-period" -> config.readinessPeriod(duration(value(flag, rest)));
                case "--hold-termination" -> config.holdTermination(true);
                case "--start-nice" -> config.startNice(Integer.parseInt(value(flag, rest)));
                case "--start-spacing" -> config.startSpacing(duration(value(flag, rest)));
                case "--service-account-tokens" -> config.serviceAccountTokens(true);
                case "--shutdown-grace-cap" -> config.shutdownGraceCap(duration(value(flag, rest)));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (!help && !anyRule) {
            throw new IllegalArgumentException("at least one --image-command is needed");
        }
        return new PodRunnerCli(config, kubeconfig, namespace, help);
    }

    static Duration duration(String text) {
        Matcher m = SIMPLE_DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Duration.parse(text.trim());
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return rest.removeFirst();
    }
}
