package dev.chopsticks.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CRDs as the build publishes them: the output of crd-generator-maven-plugin with one correction. The generator
 * sorts printer columns by JSONPath, which would make `kubectl get shards` print AGE first; we restore the order in
 * which the columns are declared on the Java type.
 */
final class GeneratedCrds {
    static final Path MODULE_DIR = Path.of(System.getProperty("crds.moduleDir", "."));
    static final Path GENERATOR_OUTPUT = MODULE_DIR.resolve("target/classes/META-INF/fabric8");
    static final String HEADER =
            "# Generated from the Java types in crds/src/main/java (dev.chopsticks.api.v1alpha1). Do not edit:\n"
                    + "# change the types, then run: mvn -pl crds verify -Dcrds.update=true\n";

    static final List<Class<? extends CustomResource<?, ?>>> KINDS = List.of(ChopsticksCluster.class, Shard.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    private GeneratedCrds() {}

    /** File name of the committed CRD, e.g. shards.chopsticks.dev.yaml. */
    static String fileName(Class<? extends CustomResource<?, ?>> kind) {
        return CustomResource.getCRDName(kind) + ".yaml";
    }

    static Path committed(Class<? extends CustomResource<?, ?>> kind) {
        return MODULE_DIR.resolve(fileName(kind));
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The published YAML text for a kind, derived from the generator's output. */
    static String publish(Class<? extends CustomResource<?, ?>> kind) {
        Path generated = GENERATOR_OUTPUT.resolve(CustomResource.getCRDName(kind) + "-v1.yml");
        if (!Files.exists(generated)) {
            throw new IllegalStateException("missing " + generated + ": run the build through process-classes first");
        }
        ObjectNode crd = (ObjectNode) read(generated);
        for (JsonNode version : crd.path("spec").path("versions")) {
            restoreColumnOrder((ObjectNode) version, kind);
        }
        try {
            return HEADER + YAML.writeValueAsString(crd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void restoreColumnOrder(ObjectNode version, Class<?> kind) {
        JsonNode columns = version.get("additionalPrinterColumns");
        if (columns == null) {
            return;
        }
        List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
        List<JsonNode> sorted = new ArrayList<>();
        columns.forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(
                declared.indexOf(a.path("name").asText()),
                declared.indexOf(b.path("name").asText())));
        ArrayNode reordered = version.arrayNode();
        sorted.forEach(reordered::add);
        version.set("additionalPrinterColumns", reordered);
    }
}
