package dev.chopsticks.bot.testinfra;

import dev.chopsticks.testinfra.PgBouncerProcess;
import dev.chopsticks.testinfra.PostgresProcess;
import dev.chopsticks.testinfra.RedisProcess;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension injecting the shared real services: declare {@code PostgresProcess}, {@code PgBouncerProcess} or
 * {@code RedisProcess} parameters on test methods, constructors or lifecycle methods.
 */
public final class RealServices implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PostgresProcess.class || type == PgBouncerProcess.class || type == RedisProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == PostgresProcess.class) {
            return SharedServices.postgres();
        }
        if (type == PgBouncerProcess.class) {
            return SharedServices.pgBouncer();
        }
        return SharedServices.redis();
    }
}
