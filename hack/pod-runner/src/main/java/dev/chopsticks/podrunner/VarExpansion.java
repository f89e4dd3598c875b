package dev.chopsticks.podrunner;

import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion, as the kubelet applies it to env values, command and args (a port of
 * {@code third_party/forked/golang/expansion}): {@code $(NAME)} becomes the value of NAME when it is defined and
 * stays verbatim when it is not, {@code $$} escapes a dollar, and an unterminated {@code $(} is kept as is.
 */
final class VarExpansion {
    private VarExpansion() {}

    /** Expands {@code input}; {@code lookup} returns null for an undefined name (which is then left as written). */
    static String expand(String input, Function<String, String> lookup) {
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    String value = lookup.apply(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    advance = close - cursor;
                }
            } else {
                // Not an expression: Kubernetes keeps the operator and the character after it.
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input, Math.min(checkpoint, input.length()), input.length())
                .toString();
    }
}
