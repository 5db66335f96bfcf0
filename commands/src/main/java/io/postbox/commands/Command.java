package io.postbox.commands;

import io.postbox.commands.introspection.KeyProcedure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the command table: everything Redis keeps in {@code src/commands/<name>.json}.
 * Arity errors, {@code COMMAND INFO}, {@code COMMAND DOCS}, script and MULTI rules are all derived
 * from these fields; handlers never re-state them.
 *
 * <p>Arity follows Redis: positive means exactly that many arguments (the name included), negative
 * means at least {@code -arity}. A container command (CLIENT, CONFIG, ...) has subcommands and no
 * handler of its own; its subcommands' full names are {@code container|sub}.
 */
public final class Command {

    private final String name;
    private final String fullName;
    private final int arity;
    private final Set<CommandFlag> flags;
    /** The flags as bits by ordinal: {@link #is} runs several times on every command's path. */
    private final long flagBits;
    private final Set<AclCategory> aclCategories;
    private final List<KeySpec> keySpecs;
    private final List<String> tips;
    private final CommandDocs docs;
    private final CommandHandler handler;
    private final KeyProcedure keyProcedure;
    private final FlagsProcedure flagsProcedure;
    private final Map<String, Command> subcommands;
    private final Command container;
    private final boolean runsScript;
    private final boolean touchesArbitraryKeys;
    private final String protectingSetting;

    private Command(Builder b, Command container) {
        this.name = b.name;
        this.container = container;
        this.fullName = container == null ? b.name : container.name + "|" + b.name;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(b.flags);
        this.flagBits = b.flags.stream().mapToLong(CommandFlag::bit).reduce(0, (x, y) -> x | y);
        this.aclCategories = Collections.unmodifiableSet(impliedCategories(b.flags, b.acl));
        this.keySpecs = List.copyOf(b.keySpecs);
        this.tips = List.copyOf(b.tips);
        this.docs = new CommandDocs(b.group, b.summary, b.since, b.complexity, b.syntax, b.history,
                b.docFlags, b.deprecatedSince, b.replacedBy);
        this.handler = b.handler;
        this.keyProcedure = b.keyProcedure;
        this.flagsProcedure = b.flagsProcedure;
        this.runsScript = b.runsScript;
        this.touchesArbitraryKeys = b.touchesArbitraryKeys;
        this.protectingSetting = b.protectingSetting;
        Map<String, Command> subs = new LinkedHashMap<>();
        for (Builder sub : b.subcommands) {
            subs.put(sub.name, new Command(sub, this));
        }
        this.subcommands = Collections.unmodifiableMap(subs);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Lower-case name; for a subcommand, the subcommand word alone. */
    public String name() {
        return name;
    }

    /** {@code get}, or {@code client|list} for a subcommand: the name error texts use. */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    public Set<CommandFlag> flags() {
        return flags;
    }

    /** Whether the command declares {@code flag}; a call's own flags may differ ({@link #flagsOf}). */
    public boolean is(CommandFlag flag) {
        return flag.in(flagBits);
    }

    /**
     * The flags of a call with {@code args}, as bits ({@link CommandFlag#bit}): the declared ones, unless
     * the command works them out per call.
     */
    public long flagsOf(byte[][] args) {
        return flagsProcedure == null ? flagBits : flagsProcedure.flags(args, flagBits);
    }

    public Set<AclCategory> aclCategories() {
        return aclCategories;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public List<String> tips() {
        return tips;
    }

    public CommandDocs docs() {
        return docs;
    }

    /** Where the keys are when the key specs cannot say, or null (the specs say it all). */
    public KeyProcedure keyProcedure() {
        return keyProcedure;
    }

    public CommandHandler handler() {
        return handler;
    }

    public Map<String, Command> subcommands() {
        return subcommands;
    }

    /**
     * Whether the command runs a Lua script (EVAL, FCALL and their variants): one that can run long,
     * so the server runs it apart from connection I/O. Postbox's own property; Redis has no flag for it.
     */
    public boolean runsScript() {
        return runsScript;
    }

    /**
     * Whether the command may meet, and lazily expire, keys it was not given (SCAN, RANDOMKEY): Redis's
     * CMD_TOUCHES_ARBITRARY_KEYS, which COMMAND INFO does not show. Run directly, such a call's writes
     * (its expired keys' deletions) are logged one by one rather than as one transaction.
     */
    public boolean touchesArbitraryKeys() {
        return touchesArbitraryKeys;
    }

    /**
     * The setting that must allow this command for a client to run it ({@code enable-debug-command},
     * {@code enable-module-command}), or null: Redis's {@code protected} flag, which it does not show.
     */
    public String protectingSetting() {
        return protectingSetting;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** The container of a subcommand, or null. */
    public Command container() {
        return container;
    }

    /**
     * Redis adds categories that follow from flags (setImplicitACLCategories): write, read, admin
     * and dangerous, pubsub, fast, blocking, and slow for everything that is not fast.
     */
    private static Set<AclCategory> impliedCategories(Set<CommandFlag> flags, Set<AclCategory> explicit) {
        EnumSet<AclCategory> all = EnumSet.noneOf(AclCategory.class);
        all.addAll(explicit);
        if (flags.contains(CommandFlag.WRITE)) {
            all.add(AclCategory.WRITE);
        }
        if (flags.contains(CommandFlag.READONLY) && !explicit.contains(AclCategory.SCRIPTING)) {
            all.add(AclCategory.READ);
        }
        if (flags.contains(CommandFlag.ADMIN)) {
            all.add(AclCategory.ADMIN);
            all.add(AclCategory.DANGEROUS);
        }
        if (flags.contains(CommandFlag.PUBSUB)) {
            all.add(AclCategory.PUBSUB);
        }
        if (flags.contains(CommandFlag.FAST)) {
            all.add(AclCategory.FAST);
        }
        if (flags.contains(CommandFlag.BLOCKING)) {
            all.add(AclCategory.BLOCKING);
        }
        if (!all.contains(AclCategory.FAST)) {
            all.add(AclCategory.SLOW);
        }
        return all;
    }

    /** Declares a command; see the fields of {@link Command} for what each part means. */
    public static final class Builder {
        /** Compiled once: String.split would compile it again for each command the table builds at startup. */
        private static final Pattern SPACES = Pattern.compile("\\s+");

        private final String name;
        private int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final EnumSet<AclCategory> acl = EnumSet.noneOf(AclCategory.class);
        private final List<KeySpec> keySpecs = new ArrayList<>();
        private final List<String> tips = new ArrayList<>();
        private final List<Builder> subcommands = new ArrayList<>();
        private final List<String[]> history = new ArrayList<>();
        private final List<String> docFlags = new ArrayList<>();
        private String group = "generic";
        private String summary = "";
        private String since = "1.0.0";
        private String complexity = "";
        private String syntax = "";
        private String deprecatedSince;
        private String replacedBy;
        private CommandHandler handler;
        private KeyProcedure keyProcedure;
        private FlagsProcedure flagsProcedure;
        private boolean runsScript;
        private boolean touchesArbitraryKeys;
        private String protectingSetting;

        private Builder(String name) {
            this.name = name.toLowerCase(Locale.ROOT);
        }

        public Builder arity(int arity) {
            this.arity = arity;
            return this;
        }

        /** Space-separated wire names: {@code "write denyoom fast"}. */
        public Builder flags(String names) {
            for (String word : words(names)) {
                flags.add(flagNamed(word));
            }
            return this;
        }

        /** Space-separated categories beyond those implied by flags: {@code "@string"}. */
        public Builder acl(String categories) {
            for (String word : words(categories)) {
                acl.add(AclCategory.valueOf(word.substring(1).toUpperCase(Locale.ROOT)));
            }
            return this;
        }

        public Builder keys(KeySpec spec) {
            keySpecs.add(spec);
            return this;
        }

        /** Command tips such as {@code nondeterministic_output}, as COMMAND INFO lists them. */
        public Builder tips(String... tips) {
            this.tips.addAll(List.of(tips));
            return this;
        }

        /** The documentation group: {@code string}, {@code generic}, {@code connection}, ... */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder since(String since) {
            this.since = since;
            return this;
        }

        public Builder complexity(String complexity) {
            this.complexity = complexity;
            return this;
        }

        /**
         * The arguments after the command name (after the subcommand name for a subcommand), in the
         * usage notation of Redis's documentation, with Redis's argument names:
         * {@code "key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]"}. COMMAND DOCS and
         * so redis-cli's help and hints derive from it; where a name does not give the type, a hint
         * does: {@code "key increment:double"}. See {@code introspection.UsageSyntax} for the notation;
         * a test checks that it parses and agrees with the arity and the key specs.
         */
        public Builder syntax(String syntax) {
            this.syntax = syntax;
            return this;
        }

        /** A history entry for COMMAND DOCS: the version and what changed. */
        public Builder history(String version, String change) {
            history.add(new String[] {version, change});
            return this;
        }

        /** COMMAND DOCS doc_flags, such as {@code deprecated}. */
        public Builder docFlags(String... docFlags) {
            this.docFlags.addAll(List.of(docFlags));
            return this;
        }

        /**
         * Marks the command deprecated (COMMAND DOCS doc_flag {@code deprecated}) since a version, and
         * names what replaces it: {@code deprecated("6.2.0", "LMOVE source destination RIGHT LEFT")}.
         */
        public Builder deprecated(String since, String replacedBy) {
            this.deprecatedSince = since;
            this.replacedBy = replacedBy;
            if (!docFlags.contains("deprecated")) {
                docFlags.add("deprecated");
            }
            return this;
        }

        /** How to find the keys that a spec of unknown shape only announces (Redis's getkeys_proc). */
        public Builder keyProcedure(KeyProcedure keyProcedure) {
            this.keyProcedure = keyProcedure;
            return this;
        }

        /** How a call's flags follow from its arguments (Redis's get_command_flags). */
        public Builder flagsProcedure(FlagsProcedure flagsProcedure) {
            this.flagsProcedure = flagsProcedure;
            return this;
        }

        /** Marks a command that runs a Lua script; see {@link Command#runsScript()}. */
        public Builder runsScript() {
            this.runsScript = true;
            return this;
        }

        /** Marks a command that may expire keys it was not given; see {@link Command#touchesArbitraryKeys()}. */
        public Builder touchesArbitraryKeys() {
            this.touchesArbitraryKeys = true;
            return this;
        }

        /** Marks a protected command; see {@link Command#protectingSetting()}. */
        public Builder protectedBy(String setting) {
            this.protectingSetting = setting;
            return this;
        }

        public Builder handler(CommandHandler handler) {
            this.handler = handler;
            return this;
        }

        public Builder subcommand(Builder subcommand) {
            subcommands.add(subcommand);
            return this;
        }

        public Command build() {
            if (handler == null && subcommands.isEmpty()) {
                throw new IllegalStateException("command " + name + " has neither handler nor subcommands");
            }
            return new Command(this, null);
        }

        private static CommandFlag flagNamed(String wireName) {
            for (CommandFlag flag : CommandFlag.values()) {
                if (flag.wireName().equals(wireName)) {
                    return flag;
                }
            }
            throw new IllegalArgumentException("unknown command flag " + wireName);
        }

        private static String[] words(String text) {
            return text.isBlank() ? new String[0] : SPACES.split(text.trim());
        }
    }
}
