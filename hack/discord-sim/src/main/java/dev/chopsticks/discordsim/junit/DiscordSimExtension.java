package dev.chopsticks.discordsim.junit;

import dev.chopsticks.discordsim.DiscordSimulator;
import dev.chopsticks.discordsim.SimConfig;
import dev.chopsticks.discordsim.control.DiscordSimClient;
import dev.chopsticks.discordsim.control.SimControl;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension owning a {@link DiscordSimulator}. Either via {@link DiscordSimulatorTest}, or
 * programmatically: {@code @RegisterExtension static DiscordSimExtension SIM = DiscordSimExtension.with(config);}
 */
public final class DiscordSimExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final SimConfig explicitConfig;
    private DiscordSimulator simulator;

    public DiscordSimExtension() {
        this(null);
    }

    private DiscordSimExtension(SimConfig config) {
        this.explicitConfig = config;
    }

    public static DiscordSimExtension with(SimConfig config) {
        return new DiscordSimExtension(config);
    }

    /** The running simulator (between beforeAll and afterAll). */
    public DiscordSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException(
                    "The simulator starts in beforeAll: register the extension on a static field");
        }
        return simulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        simulator = DiscordSimulator.start(explicitConfig != null ? explicitConfig : fromAnnotation(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    private static SimConfig fromAnnotation(ExtensionContext context) {
        SimConfig.Builder b = SimConfig.builder();
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), DiscordSimulatorTest.class)
                .ifPresent(a -> b.guilds(a.guilds())
                        .maxConcurrency(a.maxConcurrency())
                        .identifyWindow(Duration.ofMillis(a.identifyWindowMs()))
                        .heartbeatInterval(Duration.ofMillis(a.heartbeatIntervalMs()))
                        .sessionStartTotal(a.sessionStartTotal())
                        .token(a.token()));
        return b.build();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DiscordSimulator.class || type == DiscordSimClient.class || type == SimControl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DiscordSimClient.class ? simulator().client() : simulator();
    }
}
