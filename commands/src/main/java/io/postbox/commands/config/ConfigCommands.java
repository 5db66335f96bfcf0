package io.postbox.commands.config;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Glob;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.Strerror;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.connection.Loopback;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** CONFIG GET, SET, RESETSTAT, REWRITE and HELP. */
public final class ConfigCommands implements CommandGroup {

    private static final String ADMIN = "admin noscript loading stale";

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("config").arity(-2).group("server")
                .summary("Reads and changes the server's configuration.").since("2.0.0")
                .complexity("Depends on subcommand.")
                .subcommand(Command.builder("get").arity(-3).flags(ADMIN).group("server")
                        .summary("Returns the values of the configuration options whose names match the patterns.")
                        .since("2.0.0").complexity("O(N) when N is the number of configuration parameters provided")
                        .syntax("parameter [parameter ...]")
                        .history("7.0.0", "Accepts several patterns in one call.")
                        .handler(ConfigCommands::get))
                .subcommand(Command.builder("set").arity(-4).flags(ADMIN).group("server")
                        .summary("Changes configuration options at runtime, all of them or none.")
                        .since("2.0.0").complexity("O(N) when N is the number of configuration parameters provided")
                        .syntax("parameter value [parameter value ...]")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                        .history("7.0.0", "Accepts several options in one call.")
                        .handler(ConfigCommands::set))
                .subcommand(Command.builder("resetstat").arity(2).flags(ADMIN).group("server")
                        .summary("Zeroes the statistics INFO reports.").since("2.0.0").complexity("O(1)")
                        .handler(ConfigCommands::resetStat))
                .subcommand(Command.builder("rewrite").arity(2).flags(ADMIN).group("server")
                        .summary("Writes the running configuration back to the config file the server started with.")
                        .since("2.8.0").complexity("O(1)")
                        .handler(ConfigCommands::rewrite))
                .subcommand(Command.builder("help").arity(2).flags("loading stale").group("server")
                        .summary("Lists the CONFIG subcommands.").since("5.0.0").complexity("O(1)")
                        .handler(ConfigCommands::help))
                .build());
    }

    /**
     * Each matching name once (literal names as typed, pattern matches as registered), with its value;
     * a hidden option only by its literal name.
     */
    static void get(Invocation call) {
        Config config = call.engine().config();
        Map<String, Map.Entry<String, ConfigOption<?>>> matches = new LinkedHashMap<>();
        for (int i = 2; i < call.argc(); i++) {
            String pattern = call.argString(i);
            if (pattern.chars().noneMatch(c -> c == '[' || c == '*' || c == '?')) {
                String key = pattern.toLowerCase(Locale.ROOT);
                ConfigOption<?> option = config.lookup(pattern);
                if (option != null && !matches.containsKey(key)) {
                    matches.put(key, Map.entry(pattern, option));
                }
                continue;
            }
            config.names().forEach((name, option) -> {
                if (!option.is(ConfigOption.Flag.HIDDEN) && !matches.containsKey(name)
                        && Glob.matches(pattern, name, true)) {
                    matches.put(name, Map.entry(name, option));
                }
            });
        }
        call.reply().map(matches.size());
        for (Map.Entry<String, ConfigOption<?>> match : matches.values()) {
            call.reply().bulk(match.getKey());
            call.reply().bulk(match.getValue().formatted());
        }
    }

    /**
     * Redis's order of checks: unknown names first, then immutable or protected options, options the
     * load in progress depends on (refused with -LOADING) and duplicates, then each value, then the apply
     * hooks; the first problem found is the one reported, and nothing changes unless everything passes.
     */
    static void set(Invocation call) {
        if (call.argc() % 2 != 0) {
            throw Errors.SYNTAX;
        }
        Config config = call.engine().config();
        String unknown = null;
        ErrorReply refusal = null;
        Set<String> named = new HashSet<>();
        List<Integer> pairs = new ArrayList<>();
        for (int i = 2; i < call.argc(); i += 2) {
            String name = call.argString(i);
            ConfigOption<?> option = config.lookup(name);
            if (option == null) {
                if (unknown == null && refusal == null) {
                    unknown = name;
                }
                continue;
            }
            // Secrets are hidden from the slow log even when the command fails.
            if (option.is(ConfigOption.Flag.SENSITIVE)) {
                call.redact(i + 1);
            }
            if (unknown != null || refusal != null) {
                continue;
            }
            if (option.is(ConfigOption.Flag.IMMUTABLE)) {
                refusal = failed(name, "can't set immutable config");
            } else if (option.is(ConfigOption.Flag.PROTECTED)
                    && !Loopback.allows(config.getString("enable-protected-configs"), call.client().local())) {
                refusal = failed(name, "can't set protected config");
            } else if (option.is(ConfigOption.Flag.DENY_LOADING) && call.engine().persistence().loading) {
                refusal = Errors.LOADING;
            } else if (!named.add(name.toLowerCase(Locale.ROOT))) {
                refusal = failed(name, "duplicate parameter");
            }
            pairs.add(i);
        }
        if (unknown != null) {
            throw Errors.err("Unknown option or number of arguments for CONFIG SET - '" + unknown + "'");
        }
        if (refusal != null) {
            throw refusal;
        }
        List<Config.Change> changes = new ArrayList<>();
        for (int i : pairs) {
            String name = call.argString(i).toLowerCase(Locale.ROOT);
            ConfigOption<?> option = config.lookup(name);
            try {
                changes.add(new Config.Change(name, option, option.parse(Config.splitValue(option, call.argString(i + 1)))));
            } catch (InvalidConfigValue invalid) {
                throw failed(name, invalid.reason());
            }
        }
        try {
            config.change(changes);
        } catch (Config.ChangeRefused refused) {
            call.engine().process().log(LogLevel.WARNING, "Failed applying new configuration. Possibly related to new "
                    + refused.name() + " setting. Restoring previous settings.");
            throw failed(refused.name(), refused.reason());
        }
        call.reply().ok();
    }

    private static ErrorReply failed(String name, String reason) {
        return Errors.err("CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    static void resetStat(Invocation call) {
        call.engine().stats().reset();
        call.reply().ok();
    }

    static void rewrite(Invocation call) {
        rewrite(call, false);
    }

    /** CONFIG REWRITE, or with {@code writeAll} DEBUG CONFIG-REWRITE-FORCE-ALL: every option, defaults too. */
    public static void rewrite(Invocation call, boolean writeAll) {
        Path file = call.engine().process().configFile();
        if (file == null) {
            // Redis's forced rewrite does not check: its fopen of no file name fails with EFAULT.
            throw Errors.err(writeAll ? "CONFIG-REWRITE-FORCE-ALL failed: Bad address"
                    : "The server is running without a config file");
        }
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            writeReplacing(file, ConfigRewrite.rewrite(old, call.engine().config(), writeAll, userLines(call)));
        } catch (IOException e) {
            call.engine().process().log(LogLevel.WARNING, "CONFIG REWRITE failed: " + Strerror.describe(e));
            throw Errors.err((writeAll ? "CONFIG-REWRITE-FORCE-ALL failed: " : "Rewriting config file: ")
                    + Strerror.describe(e));
        }
        call.engine().process().log(LogLevel.WARNING, "CONFIG REWRITE executed with success.");
        call.reply().ok();
    }

    /** The {@code user} lines of the running server's users, as ACL LIST shows them; none with an ACL file. */
    private static List<String> userLines(Invocation call) {
        if (!call.engine().config().getString("aclfile").isEmpty()) {
            return List.of();
        }
        return call.engine().acl().describeUsers();
    }

    /**
     * Writes through a temporary file renamed over the old one, so a crash leaves the old or the new
     * file, never half of one. Not synced to disk: the executor must not wait on the disk.
     */
    private static void writeReplacing(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.ISO_8859_1);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static void help(Invocation call) {
        Help.reply(call,
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }
}
