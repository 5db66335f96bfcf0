package io.postbox.commands.config;

import java.util.ArrayList;
import java.util.List;

/**
 * An option that takes one of a fixed set of words, in any case. Several words may mean the same
 * setting (oom-score-adj's "yes" and "relative"); the value is then shown as the first of them.
 */
final class EnumType implements OptionType<String> {

    private final List<String> names = new ArrayList<>();
    private final List<String> canonical = new ArrayList<>();

    /** {@code words} are the accepted words in Redis's order; "a=b" declares a as a synonym of b. */
    EnumType(String... words) {
        for (String word : words) {
            int synonym = word.indexOf('=');
            names.add(synonym < 0 ? word : word.substring(0, synonym));
            canonical.add(synonym < 0 ? word : word.substring(synonym + 1));
        }
    }

    @Override
    public String parse(List<String> args, String current) {
        String word = args.get(0);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(word)) {
                return canonical.get(i);
            }
        }
        String reason = "argument(s) must be one of the following: " + String.join(", ", names);
        // Redis builds this text in a 256-byte buffer.
        throw new InvalidConfigValue(reason.length() > 255 ? reason.substring(0, 255) : reason);
    }

    @Override
    public String format(String value) {
        return value;
    }
}
