package dev.chopsticks.podrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from Kubernetes' own expansion tests (third_party/forked/golang/expansion/expand_test.go). */
class VarExpansionTest {
    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "EMPTY", "");

    @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "$(VAR_A)|A",
                "___$(VAR_B)___|___B___",
                "$(VAR_A)-$(VAR_A)|A-A",
                "$(VAR_A)$(VAR_B)|AB",
                "x$(EMPTY)y|xy",
                "$(VAR_UNDEFINED)|$(VAR_UNDEFINED)",
                "$$(VAR_A)|$(VAR_A)",
                "$$$(VAR_A)|$A",
                "$$$$(VAR_A)|$$(VAR_A)",
                "$(VAR_A|$(VAR_A",
                "$VAR_A|$VAR_A",
                "$|$",
                "foo$|foo$",
                "$()|$()",
                "$(VAR_A)$|A$",
                "plain text|plain text",
            })
    void expandsLikeKubernetes(String input, String expected) {
        assertThat(VarExpansion.expand(input, VARS::get)).isEqualTo(expected);
    }
}
