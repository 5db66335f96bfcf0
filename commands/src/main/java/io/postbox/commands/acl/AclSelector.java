package io.postbox.commands.acl;

import io.postbox.commands.AclCategory;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.Glob;
import io.postbox.commands.introspection.CommandKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One set of permissions, as Redis 7's ACL selectors: the commands it may run (a bit per command,
 * and first arguments allowed of otherwise denied commands), the keys it may read or write (glob
 * patterns) and the pub/sub channels it may use. A user has a root selector and may have more; a
 * command runs if any of them allows it.
 */
final class AclSelector {

    static final int READ = 1;
    static final int WRITE = 2;
    private static final int READ_WRITE = READ | WRITE;

    /** A key pattern and whether it allows reading, writing or both. */
    private record KeyPattern(String pattern, int permissions) {
        String describe() {
            String prefix = switch (permissions) {
                case READ -> "%R~";
                case WRITE -> "%W~";
                default -> "~";
            };
            return prefix + pattern;
        }
    }

    private final CommandBits commands;
    private BitSet allowed;
    /**
     * +@all was given and -@all has not undone it: Redis's reserved bit for the commands of the
     * future, which decides whether the description starts from +@all or from -@all.
     */
    private boolean future;
    /** Every command may run, so no bit need be looked at: +@all, until a command is denied. */
    private boolean allCommands;
    private final Map<Integer, List<String>> firstArgs = new LinkedHashMap<>();
    private boolean allKeys;
    private final List<KeyPattern> keys = new ArrayList<>();
    private boolean allChannels;
    private final List<String> channels = new ArrayList<>();

    AclSelector(CommandBits commands, boolean allChannels) {
        this.commands = commands;
        this.allowed = new BitSet(commands.all().size());
        this.allChannels = allChannels;
    }

    AclSelector copy() {
        AclSelector copy = new AclSelector(commands, allChannels);
        copy.allowed = (BitSet) allowed.clone();
        copy.future = future;
        copy.allCommands = allCommands;
        firstArgs.forEach((bit, args) -> copy.firstArgs.put(bit, new ArrayList<>(args)));
        copy.allKeys = allKeys;
        copy.keys.addAll(keys);
        copy.channels.addAll(channels);
        return copy;
    }

    /** Applies one rule, such as {@code +get}, {@code %R~queue:*} or {@code &events}. */
    void apply(String op) {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            allKeys = true;
            keys.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            allKeys = false;
            keys.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            allChannels = true;
            channels.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            allowed.set(0, commands.all().size());
            future = true;
            allCommands = true;
            firstArgs.clear();
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            allowed.clear();
            future = false;
            allCommands = false;
            firstArgs.clear();
        } else if (op.startsWith("~") || op.startsWith("%")) {
            addKeyPattern(op);
        } else if (op.startsWith("&")) {
            addChannel(op);
        } else if (op.startsWith("+@") || op.startsWith("-@")) {
            AclCategory category = AclCategory.named(op.substring(2));
            if (category == null) {
                throw AclRuleError.UNKNOWN_NAME;
            }
            BitSet members = commands.category(category);
            for (int bit = members.nextSetBit(0); bit >= 0; bit = members.nextSetBit(bit + 1)) {
                change(commands.all().get(bit), op.charAt(0) == '+');
            }
        } else if (op.startsWith("+")) {
            allow(op.substring(1));
        } else if (op.startsWith("-")) {
            Command command = commands.lookup(op.substring(1));
            if (command == null) {
                throw AclRuleError.UNKNOWN_NAME;
            }
            change(command, false);
        } else {
            throw AclRuleError.SYNTAX;
        }
    }

    /** {@code +cmd}, {@code +container|sub}, or {@code +cmd|first-arg} of a command without subcommands. */
    private void allow(String name) {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            Command command = commands.lookup(name);
            if (command == null) {
                throw AclRuleError.UNKNOWN_NAME;
            }
            change(command, true);
            return;
        }
        Command base = commands.lookup(name.substring(0, bar));
        if (base == null) {
            throw AclRuleError.UNKNOWN_NAME;
        }
        if (base.container() != null) {
            throw AclRuleError.FIRST_ARG_OF_SUBCOMMAND;
        }
        String arg = name.substring(bar + 1);
        if (arg.isEmpty()) {
            throw AclRuleError.SYNTAX;
        }
        if (base.isContainer()) {
            Command sub = commands.lookup(name);
            if (sub == null) {
                throw AclRuleError.UNKNOWN_NAME;
            }
            change(sub, true);
            return;
        }
        List<String> args = firstArgs.computeIfAbsent(commands.bit(base), bit -> new ArrayList<>());
        if (args.stream().noneMatch(arg::equalsIgnoreCase)) {
            args.add(arg);
        }
    }

    /** Allows or denies a command, and a container's subcommands with it; its first arguments are forgotten. */
    private void change(Command command, boolean allow) {
        commands.setWithSubcommands(allowed, command, allow);
        firstArgs.remove(commands.bit(command));
        if (!allow) {
            allCommands = false;
        }
    }

    /** {@code ~pattern} for reading and writing, {@code %R~pattern}, {@code %W~pattern} or {@code %RW~pattern}. */
    private void addKeyPattern(String op) {
        if (allKeys) {
            throw AclRuleError.PATTERN_AFTER_ALL_KEYS;
        }
        int permissions = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (permissions & READ) == 0) {
                    permissions |= READ;
                } else if (c == 'W' && (permissions & WRITE) == 0) {
                    permissions |= WRITE;
                } else if (c == '~') {
                    offset++;
                    break;
                } else {
                    throw AclRuleError.SYNTAX;
                }
            }
        } else {
            permissions = READ_WRITE;
        }
        String pattern = op.substring(Math.min(offset, op.length()));
        if (hasSpaces(pattern)) {
            throw AclRuleError.SYNTAX;
        }
        int existing = indexOfPattern(pattern);
        if (existing < 0) {
            keys.add(new KeyPattern(pattern, permissions));
        } else {
            keys.set(existing, new KeyPattern(pattern, keys.get(existing).permissions() | permissions));
        }
    }

    private int indexOfPattern(String pattern) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).pattern().equals(pattern)) {
                return i;
            }
        }
        return -1;
    }

    private void addChannel(String op) {
        if (allChannels) {
            throw AclRuleError.PATTERN_AFTER_ALL_CHANNELS;
        }
        String pattern = op.substring(1);
        if (hasSpaces(pattern)) {
            throw AclRuleError.SYNTAX;
        }
        if (!channels.contains(pattern)) {
            channels.add(pattern);
        }
    }

    /** Redis refuses C's white space and NUL bytes in names and patterns: an ACL file could not hold them. */
    static boolean hasSpaces(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || c == ' ' || (c >= '\t' && c <= '\r')) {
                return true;
            }
        }
        return false;
    }

    /** Why this selector does not let {@code args} run, or null if it does. */
    AclDenial check(Command command, byte[][] args) {
        if (!allCommands && !command.is(CommandFlag.NO_AUTH) && !allowed.get(commands.bit(command))
                && !firstArgAllowed(command, args)) {
            return new AclDenial(AclDenial.Reason.COMMAND, 0);
        }
        if (!allKeys && CommandKeys.hasKeys(command)) {
            for (CommandKeys.Key key : CommandKeys.find(command, args)) {
                if (!keyAllowed(args[key.position()], CommandKeys.flagsOf(command, key, args))) {
                    return new AclDenial(AclDenial.Reason.KEY, key.position());
                }
            }
        }
        if (!allChannels) {
            PubSubChannels channelArgs = PubSubChannels.of(command);
            for (int i = channelArgs.first(); i < channelArgs.end(args.length); i++) {
                if (!channelAllowed(new String(args[i], StandardCharsets.ISO_8859_1), channelArgs.patterns())) {
                    return new AclDenial(AclDenial.Reason.CHANNEL, i);
                }
            }
        }
        return null;
    }

    /** A first argument allowed of a denied command ({@code +select|0}; commands with subcommands have none). */
    private boolean firstArgAllowed(Command command, byte[][] args) {
        List<String> allowedArgs = firstArgs.get(commands.bit(command));
        if (allowedArgs == null || args.length < 2) {
            return false;
        }
        String arg = new String(args[1], StandardCharsets.ISO_8859_1);
        return allowedArgs.stream().anyMatch(arg::equalsIgnoreCase);
    }

    /** Whether a pattern allows what the key's spec flags say the command does with it. */
    private boolean keyAllowed(byte[] key, List<String> specFlags) {
        int needed = 0;
        if (specFlags.contains("access")) {
            needed |= READ;
        }
        if (specFlags.contains("insert") || specFlags.contains("delete") || specFlags.contains("update")) {
            needed |= WRITE;
        }
        String name = new String(key, StandardCharsets.ISO_8859_1);
        for (KeyPattern pattern : keys) {
            if ((pattern.permissions() & needed) == needed && Glob.matches(pattern.pattern(), name, false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the selector allows {@code channel}. A pattern subscription (PSUBSCRIBE) must name one
     * of the allowed patterns literally; a channel may match any of them.
     */
    boolean channelAllowed(String channel, boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (String pattern : channels) {
            if (isPattern ? pattern.equals(channel) : Glob.matches(pattern, channel, false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command rules that rebuild this selector's commands, as Redis 7.0 writes them: +@all or
     * -@all, then the categories that fit best, then single commands and first arguments. Single
     * commands come in registration order (Redis's follow its hash table).
     */
    String commandRules() {
        StringBuilder rules = new StringBuilder(future ? "+@all" : "-@all");
        boolean additive = !future;
        BitSet predicted = new BitSet();
        if (future) {
            predicted.set(0, commands.all().size());
        }
        BitSet remaining = (BitSet) allowed.clone();
        boolean[] applied = new boolean[AclCategory.values().length];
        while (true) {
            AclCategory best = null;
            int minDiff = Integer.MAX_VALUE;
            int maxSame = 0;
            for (AclCategory category : AclCategory.values()) {
                if (applied[category.ordinal()]) {
                    continue;
                }
                BitSet members = commands.category(category);
                BitSet on = (BitSet) members.clone();
                on.and(remaining);
                int onCount = on.cardinality();
                int offCount = members.cardinality() - onCount;
                int diff = additive ? offCount : onCount;
                int same = additive ? onCount : offCount;
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = category;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best == null) {
                break;
            }
            rules.append(additive ? " +" : " -").append(best.wireName());
            commands.setCategory(predicted, best, additive);
            commands.setCategory(remaining, best, !additive);
            applied[best.ordinal()] = true;
        }
        for (Command command : commands.all()) {
            int bit = commands.bit(command);
            boolean mine = allowed.get(bit);
            if (mine != predicted.get(bit)) {
                rules.append(mine ? " +" : " -").append(command.fullName());
                commands.setWithSubcommands(predicted, command, mine);
            }
            List<String> args = firstArgs.get(bit);
            if (!mine && args != null) {
                args.forEach(arg -> rules.append(" +").append(command.fullName()).append('|').append(arg));
            }
        }
        return rules.toString();
    }

    /** The key patterns as ACL GETUSER shows them: {@code ~*}, or the patterns joined by spaces. */
    String keysDescription() {
        return allKeys ? "~*" : keys.stream().map(KeyPattern::describe).collect(Collectors.joining(" "));
    }

    /** The channel patterns as ACL GETUSER shows them: {@code &*}, or the patterns joined by spaces. */
    String channelsDescription() {
        return allChannels ? "&*" : channels.stream().map(c -> "&" + c).collect(Collectors.joining(" "));
    }

    /** The selector in ACL LIST's form: keys, channels, then command rules. */
    String describe() {
        StringBuilder text = new StringBuilder();
        if (allKeys) {
            text.append("~* ");
        } else {
            keys.forEach(pattern -> text.append(pattern.describe()).append(' '));
        }
        if (allChannels) {
            text.append("&* ");
        } else {
            text.append("resetchannels ");
            channels.forEach(channel -> text.append('&').append(channel).append(' '));
        }
        return text.append(commandRules()).toString();
    }

    /** Whether the selector may read any key: all keys, or the pattern {@code *} with reading allowed. */
    boolean readsAnyKey() {
        return allKeys || keys.stream().anyMatch(key -> key.pattern().equals("*") && (key.permissions() & READ) != 0);
    }

    /** Whether this selector allows every channel: then no subscription of its user can lose permission. */
    boolean allowsAllChannels() {
        return allChannels;
    }
}
