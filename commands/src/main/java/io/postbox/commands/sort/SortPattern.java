package io.postbox.commands.sort;

import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.keyspace.Database;

/**
 * A BY or GET pattern of SORT, and what it fetches for an element: the first {@code *} is replaced by
 * the element to name a key; {@code ->field} after the {@code *} reads that field of the hash there,
 * otherwise the key must hold a string. The pattern {@code #} fetches the element itself. Anything
 * missing, of another type, or a pattern without {@code *}, fetches nothing (null).
 *
 * <p>Redis finds {@code #}, {@code *} and {@code ->} with C string functions, so it looks for them
 * only before the pattern's first NUL byte, while the parts it copies (the rest of the key name, the
 * field name) run to the pattern's real end. That is kept here, byte for byte.
 */
final class SortPattern {

    private final byte[] pattern;
    private final boolean self;
    /** Index of the {@code *}, or -1. */
    private final int star;
    /** Index of the {@code ->} that introduces a field, or -1. */
    private final int arrow;

    SortPattern(byte[] pattern) {
        this.pattern = pattern;
        int cLength = 0;
        while (cLength < pattern.length && pattern[cLength] != 0) {
            cLength++;
        }
        this.self = cLength == 1 && pattern[0] == '#';
        this.star = indexOf(pattern, cLength, 0, (byte) '*');
        int arrowAt = star < 0 ? -1 : indexOf(pattern, cLength, star + 1, (byte) '-');
        while (arrowAt >= 0 && !(arrowAt + 1 < cLength && pattern[arrowAt + 1] == '>')) {
            arrowAt = indexOf(pattern, cLength, arrowAt + 1, (byte) '-');
        }
        // A field needs at least one byte after the arrow, before the first NUL.
        this.arrow = arrowAt >= 0 && arrowAt + 2 < cLength ? arrowAt : -1;
    }

    /** True if the pattern has a {@code *}: a BY without one means "do not sort". */
    boolean substitutes() {
        return star >= 0;
    }

    /** What the pattern fetches for {@code element}, or null. Lookups count as reads. */
    byte[] fetch(Database db, byte[] element) {
        if (self) {
            return element;
        }
        if (star < 0) {
            return null;
        }
        int suffixEnd = arrow >= 0 ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + (suffixEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, suffixEnd - star - 1);
        Object value = db.get(key);
        if (arrow >= 0) {
            if (!(value instanceof HashValue hash)) {
                return null;
            }
            byte[] field = new byte[pattern.length - arrow - 2];
            System.arraycopy(pattern, arrow + 2, field, 0, field.length);
            return hash.get(field);
        }
        return value instanceof byte[] string ? string : null;
    }

    private static int indexOf(byte[] bytes, int end, int from, byte wanted) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
