package io.postbox.commands;

import java.util.List;

/**
 * Where a command's keys are in its arguments, as Redis 7's key specs describe it, in two steps.
 *
 * <p>Begin search finds where the keys start: at argument {@code index} ({@link BeginSearch#INDEX}),
 * or just after {@code keyword}, searched for from argument {@code index} onwards, or backwards from
 * {@code argc + index} when {@code index} is negative ({@link BeginSearch#KEYWORD}).
 *
 * <p>Find keys then takes the keys from there: up to {@code lastKey} (relative to the start; negative
 * counts from the end of the arguments) every {@code step} arguments, where a non-zero {@code limit}
 * stops at 1/limit of the remaining arguments ({@link FindKeys#RANGE}); or as many keys as the
 * argument at {@code keyNumIndex} (relative to the start) says, the first one {@code firstKey}
 * arguments after the start ({@link FindKeys#KEYNUM}).
 *
 * <p>{@link BeginSearch#UNKNOWN} / {@link FindKeys#UNKNOWN} specs (SORT's STORE) only tell that keys
 * exist. {@code flags} are Redis's key-spec flags (RO, RW, OW, RM, access, update, insert, delete,
 * not_key, incomplete, variable_flags), as {@code COMMAND INFO} shows them.
 *
 * <p>{@code notes} is the spec's free-text remark that COMMAND INFO shows before the flags when it is
 * not empty (SET explains why it is RW and access).
 */
public record KeySpec(List<String> flags, BeginSearch beginSearch, int index, String keyword,
                      FindKeys findKeys, int lastKey, int step, int limit, int keyNumIndex, int firstKey,
                      String notes) {

    public enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

    public enum FindKeys { RANGE, KEYNUM, UNKNOWN }

    /** The spec of a command whose only key is its first argument, as most commands of one type have. */
    public static KeySpec firstArgument(String flags) {
        return range(flags, 1, 0, 1);
    }

    public static KeySpec range(String flags, int index, int lastKey, int step) {
        return new KeySpec(words(flags), BeginSearch.INDEX, index, null, FindKeys.RANGE, lastKey, step, 0, 0, 0, "");
    }

    public static KeySpec keyNum(String flags, int index, int keyNumIndex, int firstKey, int step) {
        return new KeySpec(words(flags), BeginSearch.INDEX, index, null, FindKeys.KEYNUM, 0, step, 0,
                keyNumIndex, firstKey, "");
    }

    /** Keys after {@code keyword}, such as XREAD's {@code STREAMS key [key ...] id [id ...]}. */
    public static KeySpec keyword(String flags, String keyword, int startFrom, int lastKey, int step, int limit) {
        return new KeySpec(words(flags), BeginSearch.KEYWORD, startFrom, keyword, FindKeys.RANGE, lastKey, step,
                limit, 0, 0, "");
    }

    /** Keys that no spec can locate (SORT's BY and STORE). */
    public static KeySpec unknown(String flags) {
        return new KeySpec(words(flags), BeginSearch.UNKNOWN, 0, null, FindKeys.UNKNOWN, 0, 0, 0, 0, 0, "");
    }

    /** This spec with a note. */
    public KeySpec withNotes(String notes) {
        return new KeySpec(flags, beginSearch, index, keyword, findKeys, lastKey, step, limit, keyNumIndex, firstKey,
                notes);
    }

    public boolean isKeyNum() {
        return findKeys == FindKeys.KEYNUM;
    }

    /** An index begin search with a range find: the only shape the legacy first/last/step can express. */
    public boolean isPlainRange() {
        return beginSearch == BeginSearch.INDEX && findKeys == FindKeys.RANGE;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    private static List<String> words(String flags) {
        return flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }
}
