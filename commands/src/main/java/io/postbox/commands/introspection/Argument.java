package io.postbox.commands.introspection;

import java.util.List;

/**
 * One node of a command's argument tree, as {@code COMMAND DOCS} describes it: a value (key, string,
 * integer, ...), a pure token, a choice of alternatives (oneof) or a sequence (block). {@code token}
 * is the literal word that introduces the argument, or null; {@code keySpecIndex} is the key spec a
 * key argument belongs to, or -1.
 */
public record Argument(String name, ArgumentType type, String token, boolean optional, boolean multiple,
                       boolean multipleToken, int keySpecIndex, List<Argument> arguments) {

    /** A value or pure-token argument: no children. */
    static Argument leaf(String name, ArgumentType type, String token, int keySpecIndex) {
        return new Argument(name, type, token, false, false, false, keySpecIndex, List.of());
    }

    static Argument group(String name, ArgumentType type, String token, List<Argument> arguments) {
        return new Argument(name, type, token, false, false, false, -1, List.copyOf(arguments));
    }

    Argument withToken(String token) {
        return new Argument(name, type, token, optional, multiple, multipleToken, keySpecIndex, arguments);
    }

    Argument named(String newName) {
        return new Argument(newName, type, token, optional, multiple, multipleToken, keySpecIndex, arguments);
    }

    Argument asOptional() {
        return new Argument(name, type, token, true, multiple, multipleToken, keySpecIndex, arguments);
    }

    /** Repeatable; {@code withToken} when the token is repeated before each value (GET p1 GET p2). */
    Argument asMultiple(boolean withToken) {
        return new Argument(name, type, token, optional, true, withToken, keySpecIndex, arguments);
    }

    /** The fewest words this argument takes on the command line. */
    public int minWords() {
        if (optional) {
            return 0;
        }
        int words = token == null ? 0 : 1;
        return switch (type) {
            case PURE_TOKEN -> words;
            case ONEOF -> words + arguments.stream().mapToInt(Argument::minWords).min().orElse(0);
            case BLOCK -> words + arguments.stream().mapToInt(Argument::minWords).sum();
            default -> words + 1;
        };
    }

    /** The most words this argument takes, or {@link Integer#MAX_VALUE} if it repeats. */
    public int maxWords() {
        if (multiple) {
            return Integer.MAX_VALUE;
        }
        long words = token == null ? 0 : 1;
        words += switch (type) {
            case PURE_TOKEN -> 0;
            case ONEOF -> arguments.stream().mapToLong(Argument::maxWords).max().orElse(0);
            case BLOCK -> arguments.stream().mapToLong(Argument::maxWords).sum();
            default -> 1;
        };
        return (int) Math.min(words, Integer.MAX_VALUE);
    }
}
