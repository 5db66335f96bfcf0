package io.postbox.server;

import io.postbox.commands.Command;
import io.postbox.commands.CommandTable;
import io.postbox.commands.Commands;
import io.postbox.commands.Strerror;
import io.postbox.commands.acl.Acl;
import io.postbox.commands.config.CommandRename;
import io.postbox.commands.config.Config;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.ConfigSyntax;
import io.postbox.commands.config.InvalidConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads configuration as redis-server does: {@code [config-file | -] [--name value ...]}. The file is
 * in redis.conf syntax (one directive per line, {@code #} comments, arguments split and quoted like
 * inline commands); {@code -} reads it from standard input; command-line options are applied as if
 * appended to it, one line each. A directive given twice is applied twice: the later value wins, and
 * {@code save} lines add up. The first bad line stops everything with redis-server's fatal error text.
 */
public final class ConfigFile {

    /** Directives Redis 7 still accepts and ignores. */
    private static final Set<String> DEPRECATED = Set.of("list-max-ziplist-entries", "list-max-ziplist-value",
            "lua-replicate-commands");
    /** Redis directives for features Postbox does not have; refused with a reason rather than ignored. */
    private static final Set<String> UNSUPPORTED = Set.of("loadmodule", "sentinel");

    private final Config config;
    private final Set<ConfigOption<?>> seen = new HashSet<>();
    private List<Command> commands;

    private ConfigFile(Config config) {
        this.config = config;
    }

    /**
     * Applies {@code redis-server}-style arguments to {@code config}.
     *
     * @return the config file, absolute, or null when there is none
     * @throws IOException when the config file cannot be read
     * @throws ConfigException on the first invalid directive
     */
    public static Path apply(Config config, String[] args) throws IOException {
        Path file = null;
        boolean fromStdin = false;
        int i = 0;
        if (args.length > 0 && args[0].equals("-")) {
            fromStdin = true;
            i = 1;
        } else if (args.length > 0 && !args[0].startsWith("-")) {
            file = Path.of(args[0]).toAbsolutePath();
            i = 1;
        }
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(read(file));
        }
        if (fromStdin || (args.length > i && args[args.length - 1].equals("-"))) {
            text.append(readStdin());
        }
        text.append('\n').append(options(args, i));
        ConfigFile loader = new ConfigFile(config);
        loader.load(text.toString());
        loader.checkLogFile();
        return file;
    }

    /**
     * The command-line options as config lines: {@code --port 7000 --save 900 1} becomes
     * {@code port "7000"} and {@code save "900" "1"}. A bare {@code --save} (last, or before another
     * option) means {@code save ""}; an option without a value takes the next argument even if it
     * starts with "--".
     */
    static String options(String[] args, int from) {
        StringBuilder options = new StringBuilder();
        boolean lastHadArgument = true;
        for (int j = from; j < args.length; j++) {
            String arg = args[j];
            if (arg.equals("-") && (j == 0 || j == args.length - 1)) {
                continue;
            }
            if (lastHadArgument && arg.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(arg.substring(2)).append(' ');
                List<String> words = ConfigSyntax.words(arg);
                if (words != null && words.size() == 1) {
                    lastHadArgument = false;
                    boolean nextIsOption = j != args.length - 1 && args[j + 1].startsWith("--");
                    if (arg.equalsIgnoreCase("--save") && (nextIsOption || j == args.length - 1)) {
                        options.append("\"\"");
                        lastHadArgument = true;
                    }
                } else {
                    lastHadArgument = true;
                }
            } else {
                options.append(ConfigSyntax.quote(arg)).append(' ');
                lastHadArgument = true;
            }
        }
        return options.toString();
    }

    private void load(String text) throws IOException {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = ConfigSyntax.trim(lines[n]);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> args = ConfigSyntax.words(line);
            if (args == null) {
                throw new ConfigException(n + 1, line, "Unbalanced quotes in configuration line");
            }
            if (args.isEmpty()) {
                continue;
            }
            String reason = directive(args);
            if (reason != null) {
                throw new ConfigException(n + 1, line, reason);
            }
        }
    }

    /** Applies one directive; returns why it is invalid, or null. */
    private String directive(List<String> args) throws IOException {
        String name = args.get(0).toLowerCase(Locale.ROOT);
        ConfigOption<?> option = config.lookup(name);
        if (option != null) {
            if (!option.is(ConfigOption.Flag.MULTI_ARG) && args.size() != 2) {
                return "wrong number of arguments";
            }
            List<String> values = args.subList(1, args.size());
            // As Redis: one non-empty argument of a multi-argument option holds its words (--save "3600 1").
            if (option.is(ConfigOption.Flag.MULTI_ARG) && values.size() == 1 && !values.get(0).isEmpty()) {
                values = ConfigSyntax.words(values.get(0));
                if (values == null) {
                    return "Unbalanced quotes in configuration line";
                }
            }
            try {
                config.load(option, values, !seen.add(option));
            } catch (InvalidConfigValue invalid) {
                return invalid.reason();
            }
            return null;
        }
        if (DEPRECATED.contains(name) && args.size() == 2) {
            return null;
        }
        if (name.equals("include") && args.size() == 2) {
            include(args.get(1));
            return null;
        }
        if (name.equals("rename-command") && args.size() == 3) {
            return renameCommand(new CommandRename(args.get(1), args.get(2)));
        }
        if (name.equals("user") && args.size() >= 2) {
            return defineUser(args);
        }
        if (UNSUPPORTED.contains(name) || name.contains(".")) {
            return "Postbox does not support '" + name + "' (" + (name.contains(".") ? "modules" : name) + ")";
        }
        return "Bad directive or wrong number of arguments";
    }

    /**
     * {@code user <name> <rules>}, if its rules could apply to a new user (unknown command names are
     * found at the load, as in Redis) and the user is not defined already; returns why not, or null.
     */
    private String defineUser(List<String> words) {
        String name = words.get(1);
        List<String> rules = words.subList(2, words.size());
        if (config.userDefinitions().containsKey(name)) {
            return "Error in user declaration '" + name + "': Duplicate user found. A user can only be defined "
                    + "once in config files";
        }
        Acl.RuleFailure failure = new Acl(new CommandTable(commands()), config).firstFailure(rules, true);
        if (failure != null) {
            // Redis names the directive's word at the failing rule's index among the rules.
            return "Error in user declaration '" + words.get(failure.index()) + "': " + failure.reason();
        }
        config.defineUser(name, rules);
        return null;
    }

    /** Every command, for checking rename-command and user directives: built at the first one. */
    private List<Command> commands() {
        if (commands == null) {
            commands = new ArrayList<>();
            Commands.groups().forEach(group -> commands.addAll(group.commands()));
        }
        return commands;
    }

    /** {@code rename-command}, if the commands so far renamed have it to rename; returns why not, or null. */
    private String renameCommand(CommandRename rename) {
        List<CommandRename> renames = new ArrayList<>(config.commandRenames());
        renames.add(rename);
        try {
            new CommandTable(commands(), renames);
        } catch (CommandTable.RenameRefused refused) {
            return refused.getMessage();
        }
        config.renameCommand(rename);
        return null;
    }

    /** {@code include}: another file, or every file matching a glob (none is fine for a glob). */
    private void include(String path) throws IOException {
        if (path.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
            load(read(Path.of(path)));
            return;
        }
        Path pattern = Path.of(path).toAbsolutePath();
        Path dir = pattern.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
            files.forEach(matches::add);
        }
        matches.sort(null);
        for (Path match : matches) {
            load(read(match));
        }
    }

    /** Redis refuses to start when it cannot open its log file; the error names no line. */
    private void checkLogFile() {
        String logfile = config.getString("logfile");
        if (logfile.isEmpty()) {
            return;
        }
        Path path = config.resolve(logfile);
        try {
            Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw new ConfigException(0, null, "Can't open the log file: " + Strerror.describe(e));
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UnreadableConfigFile(file, Strerror.describe(e));
        }
    }

    private static String readStdin() throws IOException {
        InputStream in = System.in;
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A config file that cannot be read: redis-server logs it and exits 1. */
    public static final class UnreadableConfigFile extends IOException {
        public UnreadableConfigFile(Path file, String reason) {
            super("Fatal error, can't open config file '" + file + "': " + reason);
        }
    }

    /** A bad directive: redis-server prints this to standard error and exits 1. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(int lineNumber, String line, String reason) {
            super("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                    + (line == null ? "" : "Reading the configuration file, at line " + lineNumber + "\n>>> '" + line + "'\n")
                    + reason + "\n");
        }
    }
}
