package io.postbox.commands.bitmaps;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.keyspace.StringForm;
import java.util.Locale;

/**
 * BITOP AND | OR | XOR | NOT destkey key [key ...]: the bitwise operation over the strings, shorter
 * ones (and missing keys) read as padded with zero bytes to the longest. The result replaces the
 * destination (its TTL dropped); an all-empty result deletes it. Replies the result's length.
 */
final class BitOp {

    private enum Operation { AND, OR, XOR, NOT }

    private BitOp() {
    }

    static void bitop(Invocation call) {
        Operation operation = operation(call);
        if (operation == Operation.NOT && call.argc() != 4) {
            throw Errors.err("BITOP NOT must be called with a single source key.");
        }
        int sources = call.argc() - 3;
        byte[][] bytes = new byte[sources][];
        int[] lengths = new int[sources];
        int longest = 0;
        for (int i = 0; i < sources; i++) {
            Object string = call.db().getString(call.arg(3 + i));
            bytes[i] = string == null ? new byte[0] : GrowingString.bytesOf(string);
            lengths[i] = string == null ? 0 : GrowingString.length(string);
            longest = Math.max(longest, lengths[i]);
        }
        byte[] destination = call.arg(2);
        if (longest == 0) {
            if (call.db().delete(destination)) {
                call.db().notify(Notify.GENERIC, "del", destination);
            }
            call.reply().integer(0);
            return;
        }
        byte[] result = new byte[longest];
        for (int at = 0; at < longest; at++) {
            int value = at < lengths[0] ? bytes[0][at] : 0;
            for (int i = 1; i < sources; i++) {
                int other = at < lengths[i] ? bytes[i][at] : 0;
                value = switch (operation) {
                    case AND -> value & other;
                    case OR -> value | other;
                    case XOR -> value ^ other;
                    case NOT -> throw new IllegalStateException("NOT has one source");
                };
            }
            result[at] = (byte) (operation == Operation.NOT ? ~value : value);
        }
        call.db().set(destination, result, StringForm.RAW);
        call.db().notify(Notify.STRING, "set", destination);
        call.reply().integer(longest);
    }

    private static Operation operation(Invocation call) {
        for (Operation operation : Operation.values()) {
            if (call.argIs(1, operation.name().toLowerCase(Locale.ROOT))) {
                return operation;
            }
        }
        throw Errors.SYNTAX;
    }
}
