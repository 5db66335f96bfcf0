package io.postbox.commands.config;

import java.util.List;
import java.util.function.Consumer;

/**
 * An option whose value is a set of flag words ({@code shutdown-on-sigterm nosave now}). The first
 * word names the empty set and is shown when no flag is set; the others are shown in declaration
 * order, each once.
 */
final class FlagSetType implements OptionType<Integer> {

    private final List<String> words;
    private final Consumer<Integer> check;

    /** {@code words.get(0)} names no flags; word i > 0 is bit {@code 1 << (i - 1)}. */
    FlagSetType(List<String> words, Consumer<Integer> check) {
        this.words = List.copyOf(words);
        this.check = check;
    }

    @Override
    public Integer parse(List<String> args, Integer current) {
        if (args.isEmpty()) {
            throw invalid();
        }
        int flags = 0;
        for (String arg : args) {
            int at = indexOf(arg);
            if (at < 0) {
                throw invalid();
            }
            flags |= at == 0 ? 0 : 1 << (at - 1);
        }
        check.accept(flags);
        return flags;
    }

    private InvalidConfigValue invalid() {
        return new InvalidConfigValue("argument(s) must be one of the following: " + String.join(", ", words));
    }

    private int indexOf(String word) {
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String format(Integer flags) {
        if (flags == 0) {
            return words.get(0);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < words.size(); i++) {
            if ((flags & (1 << (i - 1))) != 0) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(words.get(i));
            }
        }
        return text.toString();
    }
}
