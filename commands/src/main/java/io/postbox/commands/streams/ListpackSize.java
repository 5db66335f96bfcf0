package io.postbox.commands.streams;

import io.postbox.commands.Numbers;

/**
 * The bytes an element takes in a Redis listpack: its encoding header, its data and its back-length.
 * Strings that read as integers are stored as integers, as lpAppend does. A stream node is closed when
 * its listpack would reach stream-node-max-bytes, so nodes split where Redis's do.
 */
final class ListpackSize {

    private ListpackSize() {
    }

    static long element(byte[] value) {
        if (value.length <= 20 && Numbers.isLong(value)) {
            return integer(Numbers.parseLong(value));
        }
        int length = value.length;
        int header = length < 64 ? 1 : length < 4096 ? 2 : 5;
        return header + length + backlen(header + length);
    }

    static long integer(long v) {
        int encoded;
        if (v >= 0 && v <= 127) {
            encoded = 1;
        } else if (v >= -4096 && v <= 4095) {
            encoded = 2;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            encoded = 3;
        } else if (v >= -(1 << 23) && v <= (1 << 23) - 1) {
            encoded = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            encoded = 5;
        } else {
            encoded = 9;
        }
        return encoded + 1;
    }

    private static int backlen(long entry) {
        return entry <= 127 ? 1 : entry < 16383 ? 2 : entry < 2097151 ? 3 : entry < 268435455 ? 4 : 5;
    }
}
