package io.postbox.commands;

import java.util.List;

/**
 * Where a command's keys are in its arguments, as Redis 7's key specs describe it: start at argument
 * {@code index}, then take keys up to {@code lastKey} (negative counts from the end) every
 * {@code step} arguments. {@code flags} are Redis's key-spec flags (RO, RW, OW, RM, access, update,
 * insert, delete, ...), as {@code COMMAND INFO} shows them.
 *
 * <p>Specs whose key count is given by an argument ({@code keynum}) are described by
 * {@code keyNumIndex} relative to {@code index}, with {@code firstKey} the offset of the first key
 * after it; for a range spec {@code keyNumIndex} is -1.
 *
 * <p>{@code notes} is the spec's free-text remark that COMMAND INFO shows before the flags when it is
 * not empty (SET explains why it is RW and access).
 */
public record KeySpec(List<String> flags, int index, int lastKey, int step, int limit,
                      int keyNumIndex, int firstKey, String notes) {

    public static KeySpec range(String flags, int index, int lastKey, int step) {
        return new KeySpec(words(flags), index, lastKey, step, 0, -1, 0, "");
    }

    public static KeySpec keyNum(String flags, int index, int keyNumIndex, int firstKey, int step) {
        return new KeySpec(words(flags), index, 0, step, 0, keyNumIndex, firstKey, "");
    }

    /** This spec with a note. */
    public KeySpec withNotes(String notes) {
        return new KeySpec(flags, index, lastKey, step, limit, keyNumIndex, firstKey, notes);
    }

    public boolean isKeyNum() {
        return keyNumIndex >= 0;
    }

    private static List<String> words(String flags) {
        return flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }
}
