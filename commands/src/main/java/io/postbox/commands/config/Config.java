package io.postbox.commands.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: every option of Redis 7.0.15 ({@link ConfigCatalog}) by name and alias,
 * with its current value. Set at startup from redis.conf syntax and {@code --name value} arguments,
 * read and changed at runtime by CONFIG.
 *
 * <p>Changes made at runtime run the options' apply hooks, registered by the parts of the server that
 * act on them (the log level, the listeners); a change several options make together either takes
 * effect whole or is undone whole.
 *
 * <p>Read and changed on the executor thread; startup writes happen before the executor starts.
 */
public final class Config {

    private final List<ConfigOption<?>> options;
    /** Names and aliases in lower case, each option's name before its alias. */
    private final Map<String, ConfigOption<?>> byName = new LinkedHashMap<>();
    private final List<CommandRename> commandRenames = new ArrayList<>();
    private final Map<String, List<String>> userDefinitions = new LinkedHashMap<>();

    public Config() {
        options = List.copyOf(ConfigCatalog.options());
        for (ConfigOption<?> option : options) {
            byName.put(option.name(), option);
            if (option.alias() != null) {
                byName.put(option.alias(), option);
            }
        }
    }

    /** The option called {@code name} or aliased so, in any case; null if there is none. */
    public ConfigOption<?> lookup(String name) {
        // Code asks in lower case, on hot paths: only clients' spellings need lowering.
        ConfigOption<?> option = byName.get(name);
        return option != null ? option : byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every option, each once, in Redis's table order. */
    public List<ConfigOption<?>> options() {
        return options;
    }

    /** Adds a {@code rename-command} directive, already checked against the commands: startup only. */
    public void renameCommand(CommandRename rename) {
        commandRenames.add(rename);
    }

    /** The {@code rename-command} directives, in the order given; the command table applies them. */
    public List<CommandRename> commandRenames() {
        return Collections.unmodifiableList(commandRenames);
    }

    /** Adds a {@code user} directive, already checked: startup only. */
    public void defineUser(String name, List<String> rules) {
        userDefinitions.put(name, List.copyOf(rules));
    }

    /** The {@code user} directives: each user's rules by name, in the order given. */
    public Map<String, List<String>> userDefinitions() {
        return Collections.unmodifiableMap(userDefinitions);
    }

    /** Every name and alias (lower case) with its option: what CONFIG GET patterns match against. */
    public Map<String, ConfigOption<?>> names() {
        return Collections.unmodifiableMap(byName);
    }

    /**
     * The option called {@code name}, typed by the caller, for code that reads a value on every
     * command and should not look it up each time.
     */
    @SuppressWarnings("unchecked")
    public <T> ConfigOption<T> option(String name) {
        ConfigOption<?> option = lookup(name);
        if (option == null) {
            throw new IllegalArgumentException("no config option " + name);
        }
        return (ConfigOption<T>) option;
    }

    /** The value as CONFIG GET shows it. */
    public String getString(String name) {
        return option(name).formatted();
    }

    /** The value of a numeric option. */
    public long getLong(String name) {
        Object value = option(name).value();
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("config option " + name + " is not numeric");
    }

    /** The value of a yes/no option. */
    public boolean getBool(String name) {
        return this.<Boolean>option(name).value();
    }

    /** The snapshot rules of {@code save}. */
    public List<SavePoint> savePoints() {
        return this.<List<SavePoint>>option("save").value();
    }

    /** The addresses of {@code bind}, '-' prefixes included. */
    public List<String> bindAddresses() {
        return this.<List<String>>option("bind").value();
    }

    /** The working directory ({@code dir}), absolute. */
    public Path dir() {
        return Path.of(getString("dir"));
    }

    /** A path from the configuration (pidfile, logfile) as Redis would open it: relative to {@code dir}. */
    public Path resolve(String path) {
        return dir().resolve(path);
    }

    /** Adds something to do when the option changes at runtime; a hook shared by several options runs once. */
    public void onApply(String name, ConfigOption.ApplyHook hook) {
        option(name).addHook(hook);
    }

    /**
     * Sets an option from a config file line or command-line argument, before the server runs: no
     * apply hooks run, and immutable options may be set. {@code repeated} says the directive already
     * appeared in this load, for options whose repeats add up ({@code save}).
     *
     * @throws InvalidConfigValue with Redis's reason if the value is not valid
     */
    public <T> void load(ConfigOption<T> option, List<String> args, boolean repeated) {
        T parsed = option.parse(args);
        option.assign(repeated ? option.type().amend(option.value(), parsed, args) : parsed);
    }

    /**
     * Sets one option at runtime, for code and tests: as CONFIG SET would (the value of a
     * multi-argument option is split on spaces, apply hooks run), but immutable options may be set.
     *
     * @throws IllegalArgumentException if there is no such option
     * @throws InvalidConfigValue if the value is not valid or cannot take effect
     */
    public void set(String name, String value) {
        ConfigOption<?> option = option(name);
        change(List.of(new Change(name.toLowerCase(Locale.ROOT), option, option.parse(splitValue(option, value)))));
    }

    /** The arguments a CONFIG SET value stands for: itself, or its space-separated words for multi-argument options. */
    public static List<String> splitValue(ConfigOption<?> option, String value) {
        if (!option.is(ConfigOption.Flag.MULTI_ARG)) {
            return List.of(value);
        }
        // Redis splits on each single space, so "a  b" has an empty word in the middle.
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(" ", -1));
    }

    /** A new value for one option, already parsed; {@code name} is how the caller named it (for errors). */
    public record Change(String name, ConfigOption<?> option, Object value) {
    }

    /** A change that was undone because an option's apply hook refused it. */
    public static final class ChangeRefused extends RuntimeException {
        private final String name;

        ChangeRefused(String name, String reason) {
            super(reason, null, false, false);
            this.name = name;
        }

        /** The name of the option whose change could not take effect. */
        public String name() {
            return name;
        }

        public String reason() {
            return getMessage();
        }
    }

    /**
     * Sets every option of {@code changes}, then runs the apply hooks of those that changed, each hook
     * once. If a hook refuses, every option gets its old value back, the hooks run again to restore the
     * old state, and {@link ChangeRefused} names the option.
     */
    public void change(List<Change> changes) {
        List<Object> previous = new ArrayList<>();
        Map<ConfigOption.ApplyHook, Change> hooks = new IdentityHashMap<>();
        List<ConfigOption.ApplyHook> order = new ArrayList<>();
        for (Change change : changes) {
            previous.add(change.option().value());
            if (change.option().assignUnchecked(change.value())) {
                for (ConfigOption.ApplyHook hook : change.option().hooks()) {
                    if (hooks.putIfAbsent(hook, change) == null) {
                        order.add(hook);
                    }
                }
            }
        }
        for (ConfigOption.ApplyHook hook : order) {
            try {
                hook.apply(this);
            } catch (InvalidConfigValue refused) {
                // Backwards, so an option set twice (by name and by alias) ends at its first value.
                for (int i = changes.size() - 1; i >= 0; i--) {
                    changes.get(i).option().assignUnchecked(previous.get(i));
                }
                for (ConfigOption.ApplyHook restore : order) {
                    try {
                        restore.apply(this);
                    } catch (InvalidConfigValue ignored) {
                        // Restoring what worked before; nothing better to do than keep going.
                    }
                }
                throw new ChangeRefused(hooks.get(hook).name(), refused.reason());
            }
        }
    }
}
