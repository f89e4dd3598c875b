package dev.chopsticks.local;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The build fails on a package cycle: every package of the main code, at any depth, is its own slice. */
class PackageCyclesTest {
    @Test
    void mainCodeHasNoPackageCycles() {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.chopsticks.local");
        slices().matching("dev.chopsticks.(**)").should().beFreeOfCycles().check(classes);
    }
}
