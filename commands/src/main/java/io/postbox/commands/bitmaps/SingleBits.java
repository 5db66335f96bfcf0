package io.postbox.commands.bitmaps;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;

/** SETBIT and GETBIT: one bit of a string, which reads as zero past its end. */
final class SingleBits {

    private static final ErrorReply BAD_BIT = Errors.err("bit is not an integer or out of range");

    private SingleBits() {
    }

    /** Sets or clears one bit, growing (or creating) the string to reach it; replies the bit's old value. */
    static void setbit(Invocation call) {
        long offset = BitStrings.offset(call, 2, 0);
        long bit = Numbers.parseLong(call.arg(3), BAD_BIT);
        if (bit != 0 && bit != 1) {
            throw BAD_BIT;
        }
        byte[] key = call.arg(1);
        int index = (int) (offset >>> 3);
        int mask = 0x80 >>> (offset & 7);
        Object current = call.db().getStringForWrite(key);
        boolean grows = BitStrings.grows(current, index + 1);
        GrowingString string = BitStrings.toChange(call.db(), key, current, index + 1);
        byte[] bytes = string.buffer();
        int old = bytes[index] & mask;
        // As in Redis, a bit set to the value it had in a string that did not grow changes nothing.
        if (grows || (old != 0) != (bit == 1)) {
            bytes[index] = (byte) (bit == 1 ? bytes[index] | mask : bytes[index] & ~mask);
            call.db().changedInPlace(key, current, string);
            call.db().notify(Notify.STRING, "setbit", key);
        }
        call.reply().integer(old == 0 ? 0 : 1);
    }

    static void getbit(Invocation call) {
        long offset = BitStrings.offset(call, 2, 0);
        Object string = call.db().getString(call.arg(1));
        long index = offset >>> 3;
        if (string == null || index >= GrowingString.length(string)) {
            call.reply().integer(0);
            return;
        }
        int mask = 0x80 >>> (offset & 7);
        call.reply().integer((GrowingString.bytesOf(string)[(int) index] & mask) == 0 ? 0 : 1);
    }
}
