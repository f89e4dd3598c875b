package dev.chopsticks.discordsim.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one in-JVM simulator per test class on a random port and injects it as a
 * {@code DiscordSimulator} (or {@code DiscordSimClient}) parameter. State is shared across the class's
 * tests; use {@code DiscordSimExtension} with {@code @RegisterExtension} for finer control.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DiscordSimExtension.class)
public @interface DiscordSimulatorTest {
    int guilds() default 10;

    int maxConcurrency() default 1;

    long identifyWindowMs() default 5_000;

    long heartbeatIntervalMs() default 41_250;

    int sessionStartTotal() default 1_000;

    String token() default "sim-bot-token";
}
