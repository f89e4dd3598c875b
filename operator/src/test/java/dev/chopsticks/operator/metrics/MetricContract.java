package dev.chopsticks.operator.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metric contract of the Helm chart's alerts and dashboard, hack/test/chart-test-metrics.txt: the metric names
 * whose source is {@code operator}, and the metric families a Prometheus text scrape declares.
 */
public final class MetricContract {
    private MetricContract() {}

    public static Path file() {
        return Path.of(System.getProperty("metric.contract", "../hack/test/chart-test-metrics.txt"));
    }

    /** The contract's rows with source {@code operator}: their metric names. */
    public static List<String> operatorMetrics() {
        try {
            return Files.readAllLines(file()).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+"))
                    .filter(cols -> cols.length >= 3 && "operator".equals(cols[2]))
                    .map(cols -> cols[0])
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metric contract " + file().toAbsolutePath(), e);
        }
    }

    /** The metric families of a Prometheus text scrape (its {@code # TYPE} lines). */
    public static Set<String> families(String scrape) {
        return scrape.lines()
                .filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.split(" ")[2])
                .collect(Collectors.toSet());
    }
}
