package dev.chopsticks.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style duration strings ("60s", "5.5s", "1m30s", "250ms") as used throughout the spec. */
public final class Durations {
    /**
     * The accepted form; written without backslashes so that it can stand in a CEL string literal as it is. At most
     * five digits per number, so that no string within {@link #MAX_LENGTH} overflows a Go duration (CEL's {@code
     * duration()} fails on one instead of reading as the rule's message).
     */
    public static final String PATTERN = "^([0-9]{1,5}([.][0-9]{1,5})?(ms|s|m|h))+$";

    /** Longest duration string the schema accepts: bounds the CEL cost and keeps values far from overflow. */
    public static final int MAX_LENGTH = 32;

    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private Durations() {}

    public static Duration parse(String text) {
        if (text == null || !text.matches(PATTERN)) {
            throw new IllegalArgumentException("not a duration (expected e.g. 60s, 5.5s, 1m30s, 250ms): " + text);
        }
        Matcher m = PART.matcher(text);
        double millis = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> v;
                case "s" -> v * 1_000;
                case "m" -> v * 60_000;
                case "h" -> v * 3_600_000;
                default -> throw new IllegalStateException(m.group(2));
            };
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
