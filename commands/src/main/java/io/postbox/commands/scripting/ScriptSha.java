package io.postbox.commands.scripting;

import java.util.Arrays;

/**
 * The name of an EVAL script, the SHA1 of its body, as its 160 bits: EVALSHA finds its script by a
 * key read straight from the argument's hex digits, without making a string and folding its case.
 */
record ScriptSha(long high, long middle, int low) {

    /** Hex digits in a SHA1. */
    static final int HEX_LENGTH = 40;

    /** Each byte's value as a hex digit (either case), or -1. */
    private static final byte[] DIGITS = new byte[256];

    static {
        Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < 16; i++) {
            DIGITS["0123456789abcdef".charAt(i)] = (byte) i;
            DIGITS["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    // Written out: the generated record methods dispatch through method handles that the JIT did not
    // inline on EVALSHA's lookup (about 1% of its executor time at -P 16).
    @Override
    public boolean equals(Object other) {
        return other instanceof ScriptSha sha && high == sha.high && middle == sha.middle && low == sha.low;
    }

    /** A digest's bits are uniform already: any 32 of them will do. */
    @Override
    public int hashCode() {
        return (int) high;
    }

    /** The digest {@code hex} spells in 40 hex digits of either case, or null if it is not one. */
    static ScriptSha parse(byte[] hex) {
        if (hex.length != HEX_LENGTH) {
            return null;
        }
        // Looked up rather than compared: digits and letters come in no order a branch could predict.
        int invalid = 0;
        long high = 0;
        for (int i = 0; i < 16; i++) {
            int digit = DIGITS[hex[i] & 0xff];
            invalid |= digit;
            high = high << 4 | (digit & 0xf);
        }
        long middle = 0;
        for (int i = 16; i < 32; i++) {
            int digit = DIGITS[hex[i] & 0xff];
            invalid |= digit;
            middle = middle << 4 | (digit & 0xf);
        }
        int low = 0;
        for (int i = 32; i < 40; i++) {
            int digit = DIGITS[hex[i] & 0xff];
            invalid |= digit;
            low = low << 4 | (digit & 0xf);
        }
        return invalid < 0 ? null : new ScriptSha(high, middle, low);
    }
}
