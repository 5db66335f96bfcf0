package io.postbox.commands.scripting;

/**
 * The name of an EVAL script, the SHA1 of its body, as its 160 bits: EVALSHA finds its script by a
 * key read straight from the argument's hex digits, without making a string and folding its case.
 */
record ScriptSha(long high, long middle, int low) {

    /** The digest {@code hex} spells in 40 hex digits of either case, or null if it is not one. */
    static ScriptSha parse(byte[] hex) {
        if (hex.length != 40) {
            return null;
        }
        long high = 0;
        long middle = 0;
        int low = 0;
        for (int i = 0; i < 40; i++) {
            int digit = digit(hex[i]);
            if (digit < 0) {
                return null;
            }
            if (i < 16) {
                high = high << 4 | digit;
            } else if (i < 32) {
                middle = middle << 4 | digit;
            } else {
                low = low << 4 | digit;
            }
        }
        return new ScriptSha(high, middle, low);
    }

    private static int digit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
