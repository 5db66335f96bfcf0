package io.postbox.commands.config;

import java.util.List;
import java.util.Objects;

/**
 * What kind of value an option holds: how its arguments are read (from a config file line or a
 * CONFIG SET value), how CONFIG GET shows it, and how CONFIG REWRITE writes it back.
 *
 * <p>Values are immutable, so "did it change" is {@link Objects#equals}.
 *
 * @param <T> the Java type of the value
 */
public interface OptionType<T> {

    /**
     * Reads a value from its arguments. Single-argument options always get exactly one; options
     * flagged {@link ConfigOption.Flag#MULTI_ARG} get the words of the line or of the CONFIG SET value.
     * {@code current} is the value now, for types whose directives amend it rather than replace it.
     *
     * @throws InvalidConfigValue with Redis's reason when the arguments are not a valid value
     */
    T parse(List<String> args, T current);

    /**
     * The value after the same directive appears again later in one config file, given what the
     * earlier lines set. By default the later line wins; {@code save} accumulates.
     */
    default T amend(T earlier, T parsed, List<String> args) {
        return parsed;
    }

    /** The value as CONFIG GET shows it. */
    String format(T value);

    /**
     * The lines CONFIG REWRITE writes for this option; no lines means the option is not written, and
     * any lines it had in the file are removed. By default one line, forced only when the value is
     * not the default.
     */
    default List<RewriteLine> rewrite(String name, T value, T defaultValue) {
        return List.of(new RewriteLine(name + " " + format(value), !Objects.equals(value, defaultValue)));
    }

    /**
     * One line for CONFIG REWRITE. A forced line is written even if the file did not mention the
     * option; an unforced one only replaces a line that was already there.
     */
    record RewriteLine(String text, boolean force) {
    }
}
