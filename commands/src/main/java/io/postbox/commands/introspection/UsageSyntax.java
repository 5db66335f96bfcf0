package io.postbox.commands.introspection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a command's usage line, in the notation of Redis's documentation, into the argument tree that
 * {@code COMMAND DOCS} reports and redis-cli turns back into its hints.
 *
 * <p>The notation, after the command name:
 * <ul>
 *   <li>{@code key}, {@code value}: a lower-case word is a value argument. Its type follows from its
 *       name ({@link ArgumentType#forName}), or from a hint: {@code timeout:integer}.</li>
 *   <li>{@code NX}, {@code =}: a word without lower-case letters, or a quoted word {@code ""}, is a
 *       token the client types literally. A token followed by values ({@code COUNT count},
 *       {@code LIMIT offset count}) introduces them.</li>
 *   <li>{@code [ ... ]} is optional, {@code < ... >} is a required group; {@code a | b} inside either is
 *       a choice.</li>
 *   <li>{@code x [x ...]}: a bracket ending in {@code ...} that repeats what precedes it makes that
 *       repeatable: {@code key [key ...]}, {@code field value [field value ...]},
 *       {@code GET pattern [GET pattern ...]}.</li>
 * </ul>
 * Key arguments are assigned to the command's key specs in order of appearance (the last spec takes
 * any further keys). Groups are named after their members, joined by {@code _}, except that a
 * choice introduced by a token is named after the token.
 */
public final class UsageSyntax {

    private final List<String> words;
    private final int keySpecCount;
    private int position;
    private int keysSeen;

    private UsageSyntax(String syntax, int keySpecCount) {
        this.words = lex(syntax);
        this.keySpecCount = keySpecCount;
    }

    /**
     * The argument tree of {@code syntax}, for a command with {@code keySpecCount} key specs.
     *
     * @throws IllegalArgumentException if the line does not follow the notation
     */
    public static List<Argument> parse(String syntax, int keySpecCount) {
        UsageSyntax parser = new UsageSyntax(syntax, keySpecCount);
        List<Node> nodes = parser.sequence();
        if (parser.position < parser.words.size()) {
            throw new IllegalArgumentException("unexpected '" + parser.words.get(parser.position) + "' in: " + syntax);
        }
        return parser.arguments(collapseRepeats(nodes));
    }

    /** What the notation is made of, before it becomes arguments. */
    private sealed interface Node permits Word, Group, Ellipsis, Repeat {
    }

    private record Word(String text, boolean token) implements Node {
    }

    private record Group(boolean optional, List<List<Node>> alternatives) implements Node {
    }

    private record Ellipsis() implements Node {
    }

    /** {@code body} once or more, from {@code x [x ...]}. */
    private record Repeat(List<Node> body) implements Node {
    }

    // ---- Reading the notation

    private static List<String> lex(String syntax) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < syntax.length()) {
            char c = syntax.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ("[]<>|".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int close = syntax.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed quote in: " + syntax);
                }
                out.add(syntax.substring(i, close + 1));
                i = close + 1;
            } else {
                int end = i;
                while (end < syntax.length() && !Character.isWhitespace(syntax.charAt(end))
                        && "[]<>|".indexOf(syntax.charAt(end)) < 0) {
                    end++;
                }
                out.add(syntax.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    private List<Node> sequence() {
        List<Node> nodes = new ArrayList<>();
        while (position < words.size() && !isCloser(words.get(position))) {
            String word = words.get(position++);
            switch (word) {
                case "[" -> nodes.add(group(true, "]"));
                case "<" -> nodes.add(group(false, ">"));
                case "..." -> nodes.add(new Ellipsis());
                default -> nodes.add(new Word(word, isToken(word)));
            }
        }
        return nodes;
    }

    private Group group(boolean optional, String closer) {
        List<List<Node>> alternatives = new ArrayList<>();
        alternatives.add(sequence());
        while (position < words.size() && words.get(position).equals("|")) {
            position++;
            alternatives.add(sequence());
        }
        if (position >= words.size() || !words.get(position).equals(closer)) {
            throw new IllegalArgumentException("expected '" + closer + "' in: " + String.join(" ", words));
        }
        position++;
        for (List<Node> alternative : alternatives) {
            if (alternative.isEmpty()) {
                throw new IllegalArgumentException("empty group or choice in: " + String.join(" ", words));
            }
        }
        return new Group(optional, alternatives);
    }

    private static boolean isCloser(String word) {
        return word.equals("]") || word.equals(">") || word.equals("|");
    }

    private static boolean isToken(String word) {
        if (word.startsWith("\"")) {
            return true;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.isLowerCase(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Replaces each {@code x [x ...]} with one Repeat of x, at every depth. */
    private static List<Node> collapseRepeats(List<Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (Node node : nodes) {
            if (!(node instanceof Group group)) {
                out.add(node);
                continue;
            }
            List<List<Node>> alternatives = new ArrayList<>();
            for (List<Node> alternative : group.alternatives()) {
                alternatives.add(collapseRepeats(alternative));
            }
            List<Node> only = alternatives.get(0);
            if (group.optional() && alternatives.size() == 1 && only.get(only.size() - 1) instanceof Ellipsis) {
                List<Node> body = only.subList(0, only.size() - 1);
                int from = out.size() - body.size();
                if (body.isEmpty() || from < 0 || !out.subList(from, out.size()).equals(body)) {
                    throw new IllegalArgumentException("'...' must repeat what precedes its bracket: " + body);
                }
                out.subList(from, out.size()).clear();
                out.add(new Repeat(List.copyOf(body)));
            } else {
                out.add(new Group(group.optional(), alternatives));
            }
        }
        return out;
    }

    // ---- Building arguments

    /** Each node of a sequence is one argument, except that a token takes the values after it. */
    private List<Argument> arguments(List<Node> nodes) {
        List<Argument> out = new ArrayList<>();
        int i = 0;
        while (i < nodes.size()) {
            int end = i + 1;
            if (nodes.get(i) instanceof Word word && word.token()) {
                while (end < nodes.size() && introducedByToken(nodes.get(end))) {
                    end++;
                }
            }
            out.add(single(nodes.subList(i, end)));
            i = end;
        }
        return out;
    }

    /** A value, a repeated value or a required group can follow a token as its operand. */
    private static boolean introducedByToken(Node node) {
        if (node instanceof Word word) {
            return !word.token();
        }
        if (node instanceof Repeat repeat) {
            return !(repeat.body().get(0) instanceof Word first && first.token());
        }
        return node instanceof Group group && !group.optional();
    }

    /** The one argument a whole sequence (a bracket's content, one alternative) stands for. */
    private Argument single(List<Node> nodes) {
        if (nodes.size() == 1) {
            return argument(nodes.get(0));
        }
        String token = null;
        List<Node> rest = nodes;
        if (nodes.get(0) instanceof Word word && word.token()) {
            token = tokenText(word);
            rest = nodes.subList(1, nodes.size());
            if (rest.size() == 1 && introducedByToken(rest.get(0))) {
                Argument operand = argument(rest.get(0));
                if (operand.token() == null) {
                    // A choice introduced by a token is named after it (AGGREGATE <SUM | MIN | MAX>).
                    return operand.type() == ArgumentType.ONEOF
                            ? operand.withToken(token).named(token.toLowerCase(Locale.ROOT)) : operand.withToken(token);
                }
            }
        }
        List<Argument> members = arguments(rest);
        return Argument.group(joinedNames(members), ArgumentType.BLOCK, token, members);
    }

    private Argument argument(Node node) {
        if (node instanceof Word word) {
            return word.token() ? pureToken(word) : value(word.text());
        }
        if (node instanceof Repeat repeat) {
            List<Node> body = repeat.body();
            boolean tokenRepeats = body.size() > 1 && body.get(0) instanceof Word first && first.token();
            return single(body).asMultiple(tokenRepeats);
        }
        if (node instanceof Group group) {
            Argument argument;
            if (group.alternatives().size() == 1) {
                argument = single(group.alternatives().get(0));
            } else {
                List<Argument> choices = new ArrayList<>();
                for (List<Node> alternative : group.alternatives()) {
                    choices.add(single(alternative));
                }
                argument = Argument.group(joinedNames(choices), ArgumentType.ONEOF, null, choices);
            }
            return group.optional() ? argument.asOptional() : argument;
        }
        throw new IllegalArgumentException("'...' must end a bracket that repeats what precedes it");
    }

    private static Argument pureToken(Word word) {
        String text = tokenText(word);
        String name = text.isEmpty() ? "empty_string" : text.toLowerCase(Locale.ROOT);
        return Argument.leaf(name, ArgumentType.PURE_TOKEN, text, -1);
    }

    private Argument value(String word) {
        String name = word;
        ArgumentType type = null;
        int colon = word.lastIndexOf(':');
        if (colon > 0) {
            type = ArgumentType.forHint(word.substring(colon + 1));
            if (type != null) {
                name = word.substring(0, colon);
            }
        }
        if (type == null) {
            type = ArgumentType.forName(name);
        }
        int keySpecIndex = -1;
        if (type == ArgumentType.KEY && keySpecCount > 0) {
            keySpecIndex = Math.min(keysSeen++, keySpecCount - 1);
        }
        return Argument.leaf(name, type, null, keySpecIndex);
    }

    private static String tokenText(Word word) {
        String text = word.text();
        return text.startsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }

    private static String joinedNames(List<Argument> members) {
        List<String> names = new ArrayList<>();
        for (Argument member : members) {
            names.add(member.name());
        }
        return String.join("_", names);
    }
}
