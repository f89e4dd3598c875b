package dev.chopsticks.bot.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownTest {

    @Test
    void releasesInReverseOrderOnceAndPastAFailingStep() {
        List<String> released = new ArrayList<>();
        Teardown teardown = new Teardown();
        teardown.add("pool", () -> released.add("pool"));
        teardown.add("broken", () -> {
            throw new IllegalStateException("boom");
        });
        AutoCloseable server = () -> released.add("server");
        assertThat(teardown.add("server", server)).isSameAs(server);

        teardown.close();
        teardown.close();

        assertThat(released).containsExactly("server", "pool");
    }
}
