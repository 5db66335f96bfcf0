package io.postbox.commands.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One configuration option: its name and alias, what kind of value it holds, Redis's default, whether
 * CONFIG SET may change it, and what must happen when it changes (its apply hooks).
 *
 * <p>Owned by the executor thread once the server runs; the config file is read before that.
 *
 * @param <T> the Java type of the value (see {@link OptionType})
 */
public final class ConfigOption<T> {

    /** Redis's config flags that Postbox honours. */
    public enum Flag {
        /** Set only at startup: CONFIG SET answers "can't set immutable config". */
        IMMUTABLE,
        /** CONFIG SET needs enable-protected-configs (it could make the server write anywhere). */
        PROTECTED,
        /** Takes several words: a config line's arguments, or a CONFIG SET value split on spaces. */
        MULTI_ARG,
        /** CONFIG SET refuses it with -LOADING while the dataset loads (the load depends on it). */
        DENY_LOADING,
        /** Its value is a secret: it is redacted from the slow log. */
        SENSITIVE,
        /** For tests: CONFIG GET shows it only when asked for by its exact name, not by a pattern. */
        HIDDEN
    }

    /** Runs after the option changed through CONFIG SET; throws to undo the whole CONFIG SET. */
    @FunctionalInterface
    public interface ApplyHook {
        /** @throws InvalidConfigValue with the reason the change cannot take effect */
        void apply(Config config);
    }

    private final String name;
    private final String alias;
    private final Set<Flag> flags;
    private final OptionType<T> type;
    private final T defaultValue;
    private final Consumer<T> check;
    private final List<ApplyHook> hooks = new ArrayList<>();
    private T value;

    ConfigOption(String name, String alias, Set<Flag> flags, OptionType<T> type, T defaultValue, Consumer<T> check) {
        this.name = name;
        this.alias = alias;
        this.flags = flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
        this.type = type;
        this.defaultValue = defaultValue;
        this.check = check;
        this.value = defaultValue;
    }

    public String name() {
        return name;
    }

    /** The other name Redis accepts for it ({@code lua-time-limit} for busy-reply-threshold), or null. */
    public String alias() {
        return alias;
    }

    public boolean is(Flag flag) {
        return flags.contains(flag);
    }

    public OptionType<T> type() {
        return type;
    }

    public T value() {
        return value;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The value as CONFIG GET shows it. */
    public String formatted() {
        return type.format(value);
    }

    /** Reads a value without changing anything; throws {@link InvalidConfigValue} if it is not valid. */
    public T parse(List<String> args) {
        T parsed = type.parse(args, value);
        if (check != null) {
            check.accept(parsed);
        }
        return parsed;
    }

    /** Sets the value; true if it changed. Apply hooks are the caller's business (see {@link Config}). */
    boolean assign(T newValue) {
        boolean changed = !Objects.equals(value, newValue);
        value = newValue;
        return changed;
    }

    @SuppressWarnings("unchecked")
    boolean assignUnchecked(Object newValue) {
        return assign((T) newValue);
    }

    List<ApplyHook> hooks() {
        return hooks;
    }

    void addHook(ApplyHook hook) {
        hooks.add(hook);
    }

    List<OptionType.RewriteLine> rewriteLines() {
        return type.rewrite(name, value, defaultValue);
    }

    @Override
    public String toString() {
        return name + "=" + formatted();
    }
}
