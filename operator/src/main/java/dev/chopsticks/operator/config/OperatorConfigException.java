package dev.chopsticks.operator.config;

/** A bad environment variable; the message names the variable and never echoes a secret. */
public class OperatorConfigException extends RuntimeException {
    private final String variable;

    public OperatorConfigException(String variable, String problem) {
        super(variable + " " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
