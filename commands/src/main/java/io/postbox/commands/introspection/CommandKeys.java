package io.postbox.commands.introspection;

import io.postbox.commands.Ascii;
import io.postbox.commands.Command;
import io.postbox.commands.KeySpec;
import io.postbox.commands.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the keys in a command line with the command's key specs, the way Redis's
 * getKeysUsingKeySpecs walks them. Specs flagged {@code not_key} (sharded pub/sub channels) are
 * skipped; a keyword spec whose keyword is absent contributes nothing.
 *
 * <p>A line the specs cannot fit (a bad key count, keys past the end) has no keys at all, as in Redis.
 * Where a spec is {@code incomplete} or of unknown shape, Redis falls back to the command's key
 * procedure ({@link KeyProcedure}); a command without one has the keys found up to and including
 * that spec.
 */
public final class CommandKeys {

    /** A key argument: its position in the command line and the spec that found it. */
    public record Key(int position, KeySpec spec) {
    }

    private CommandKeys() {
    }

    /** The keys of {@code args} (args[0] is the command name), in spec order. */
    public static List<Key> find(Command command, byte[][] args) {
        List<Key> keys = new ArrayList<>();
        int argc = args.length;
        for (KeySpec spec : command.keySpecs()) {
            if (spec.has("not_key")) {
                continue;
            }
            int first;
            switch (spec.beginSearch()) {
                case INDEX -> first = spec.index();
                case KEYWORD -> first = afterKeyword(spec, args);
                default -> {
                    return byProcedure(command, args, keys);
                }
            }
            if (first < 0) {
                continue;
            }
            long last;
            switch (spec.findKeys()) {
                case RANGE -> last = rangeEnd(spec, first, argc);
                case KEYNUM -> {
                    int countAt = first + spec.keyNumIndex();
                    if (countAt >= argc || !Numbers.isLong(args[countAt])) {
                        return List.of();
                    }
                    long count = Numbers.parseLong(args[countAt]);
                    if (count < 0) {
                        return List.of();
                    }
                    first += spec.firstKey();
                    last = first + count - 1;
                }
                default -> {
                    return byProcedure(command, args, keys);
                }
            }
            if (first >= argc || last >= argc || last < first) {
                return List.of();
            }
            for (int i = first; i <= last; i += spec.step()) {
                keys.add(new Key(i, spec));
            }
            if (spec.has("incomplete")) {
                return byProcedure(command, args, keys);
            }
        }
        return keys;
    }

    /** The command's key procedure's answer, or the keys the specs found so far if it has none. */
    private static List<Key> byProcedure(Command command, byte[][] args, List<Key> found) {
        return command.keyProcedure() == null ? found : command.keyProcedure().keys(command, args);
    }

    /** Whether any spec names real keys: COMMAND GETKEYS refuses commands without. */
    /**
     * What {@code args} does with {@code key}: its spec's flags, or, for a spec with variable flags,
     * those of this call (SET without GET only overwrites).
     */
    public static List<String> flagsOf(Command command, Key key, byte[][] args) {
        List<String> flags = key.spec().flags();
        return flags.contains("variable_flags") ? VariableKeyFlags.of(command.fullName(), args) : flags;
    }

    public static boolean hasKeys(Command command) {
        return command.keySpecs().stream().anyMatch(spec -> !spec.has("not_key"));
    }

    /**
     * The argument after the keyword, searched forwards from {@code index} up to the next-to-last
     * argument, or backwards from {@code argc + index} down to argument 2; -1 if absent.
     */
    private static int afterKeyword(KeySpec spec, byte[][] args) {
        String keyword = spec.keyword().toLowerCase(Locale.ROOT);
        int argc = args.length;
        if (spec.index() > 0) {
            for (int i = spec.index(); i < argc - 1; i++) {
                if (Ascii.equalsIgnoreCase(args[i], keyword)) {
                    return i + 1;
                }
            }
        } else {
            for (int i = argc + spec.index(); i > 1; i--) {
                if (i < argc && Ascii.equalsIgnoreCase(args[i], keyword)) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static long rangeEnd(KeySpec spec, int first, int argc) {
        if (spec.lastKey() >= 0) {
            return (long) first + spec.lastKey();
        }
        if (spec.limit() == 0) {
            return (long) argc + spec.lastKey();
        }
        // Keys take 1/limit of what follows (XREAD STREAMS k1 k2 id1 id2: limit 2).
        return first + ((argc - first) / spec.limit() + spec.lastKey());
    }
}
