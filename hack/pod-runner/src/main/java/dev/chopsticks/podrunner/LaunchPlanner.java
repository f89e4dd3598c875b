package dev.chopsticks.podrunner;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a Pod into the local command, environment and files of the process that stands in for its container. */
final class LaunchPlanner {
    private final PodRunnerConfig config;
    private final EnvResolver envResolver;
    private final Map<String, String> runnerEnv;

    LaunchPlanner(PodRunnerConfig config, EnvResolver envResolver, Map<String, String> runnerEnv) {
        this.config = config;
        this.envResolver = envResolver;
        this.runnerEnv = runnerEnv;
    }

    /** Where a Pod incarnation's process output goes: {@code <logDir>/<namespace>/<pod>-<uid>.log}. */
    static Path logFileOf(PodRunnerConfig config, PodId id) {
        return config.logDir().resolve(id.namespace()).resolve(id.name() + "-" + id.uid() + ".log");
    }

    /** The first container whose image has a rule, with that rule; empty when no container matches. */
    Optional<Map.Entry<Container, ImageCommand>> containerToRun(Pod pod) {
        for (Container c : pod.getSpec().getContainers()) {
            Optional<ImageCommand> rule = config.imageCommands().forImage(c.getImage());
            if (rule.isPresent()) {
                return Optional.of(Map.entry(c, rule.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * @param credentials what {@code KUBECONFIG} the process gets in place of the runner's
     * @throws MissingReferenceException a required Secret/ConfigMap (key) is missing: the process must not start
     */
    LaunchSpec plan(Pod pod, Container container, ImageCommand rule, int port, PodCredentials credentials)
            throws MissingReferenceException {
        Map<String, String> podEnv =
                envResolver.resolve(pod, container, Map.of(config.portEnv(), Integer.toString(port)));

        Map<String, String> env = new LinkedHashMap<>();
        for (String name : config.inheritedEnv()) {
            String value = runnerEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(config.extraEnv());
        credentials.applyTo(env);
        // The container runtime sets HOSTNAME to the Pod name; the bot derives its StatefulSet ordinal from it.
        env.put("HOSTNAME", pod.getMetadata().getName());
        env.putAll(podEnv);

        List<String> argv = new ArrayList<>();
        for (String word : rule.command()) {
            argv.add(VarExpansion.expand(word, podEnv::get));
        }
        for (String word : container.getCommand()) {
            argv.add(VarExpansion.expand(word, podEnv::get));
        }
        for (String word : container.getArgs()) {
            argv.add(VarExpansion.expand(word, podEnv::get));
        }

        PodId id = PodId.of(pod);
        Path logFile = logFileOf(config, id);
        Probe probe = container.getReadinessProbe();
        String readinessPath = probe != null && probe.getHttpGet() != null
                ? Optional.ofNullable(probe.getHttpGet().getPath()).orElse("/")
                : null;
        int failureThreshold = probe != null && probe.getFailureThreshold() != null ? probe.getFailureThreshold() : 3;
        return new LaunchSpec(
                id,
                container.getName(),
                argv,
                env,
                config.workingDir(),
                logFile,
                port,
                readinessPath,
                failureThreshold);
    }
}
