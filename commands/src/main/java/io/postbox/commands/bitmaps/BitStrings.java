package io.postbox.commands.bitmaps;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;

/**
 * What the bit commands share: their bit offsets, and the string a write changes in place. Bits are
 * numbered from the most significant bit of the first byte, as Redis numbers them.
 */
final class BitStrings {

    static final ErrorReply BAD_OFFSET = Errors.err("bit offset is not an integer or out of range");
    /** The longest Java array, whatever proto-max-bulk-len allows. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private BitStrings() {
    }

    /**
     * The bit offset in argument {@code i}: below proto-max-bulk-len bytes. With {@code fieldBits} > 0
     * (BITFIELD) the form {@code #N} is accepted too, meaning the N-th field of that width.
     */
    static long offset(Invocation call, int i, int fieldBits) {
        byte[] text = call.arg(i);
        boolean fieldIndex = fieldBits > 0 && text.length > 0 && text[0] == '#';
        byte[] digits = fieldIndex ? Arrays.copyOfRange(text, 1, text.length) : text;
        long offset = Numbers.parseLong(digits, BAD_OFFSET);
        if (fieldIndex) {
            offset *= fieldBits; // wraps on overflow, as Redis's multiplication does
        }
        long maxBytes = Math.min(call.engine().config().getLong("proto-max-bulk-len"), MAX_ARRAY_LENGTH);
        if (offset < 0 || (offset >>> 3) >= maxBytes) {
            throw BAD_OFFSET;
        }
        return offset;
    }

    /** Whether making {@code current} (null: a missing key) {@code length} bytes long adds bytes to it. */
    static boolean grows(Object current, int length) {
        return current == null || GrowingString.length(current) < length;
    }

    /**
     * The string at {@code key}, whose value {@code current} the caller read with
     * {@link Database#getStringForWrite}, for a change in place and at least {@code length} bytes long,
     * as Redis's lookupStringObjectForBitCommand: a missing key gets a new string of zero bytes, which
     * {@link Database#changedInPlace} stores.
     */
    static GrowingString toChange(Database db, byte[] key, Object current, int length) {
        GrowingString string = current == null ? GrowingString.zeros(length) : db.growing(key, current);
        string.extendTo(length);
        return string;
    }
}
