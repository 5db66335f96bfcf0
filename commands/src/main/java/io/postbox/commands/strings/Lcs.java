package io.postbox.commands.strings;

import io.postbox.commands.Ascii;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence of two
 * strings, by the classic dynamic-programming table, with Redis's replies: the subsequence itself,
 * its length (LEN), or the matching ranges walked back from the ends of both strings (IDX).
 *
 * <p>Like Redis, the table ({@code 4 * (len1 + 1) * (len2 + 1)} bytes) may not exceed
 * proto-max-bulk-len, and the command runs to completion on the executor: O(len1 * len2).
 */
final class Lcs {

    private Lcs() {
    }

    static void lcs(Invocation call) {
        Object first = call.db().get(call.arg(1));
        Object second = call.db().get(call.arg(2));
        if ((first != null && !(first instanceof byte[])) || (second != null && !(second instanceof byte[]))) {
            throw Errors.err("The specified keys must contain string values");
        }
        byte[] a = first == null ? new byte[0] : (byte[]) first;
        byte[] b = second == null ? new byte[0] : (byte[]) second;
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < call.argc(); i++) {
            if (is(call.arg(i), "idx")) {
                idx = true;
            } else if (is(call.arg(i), "len")) {
                len = true;
            } else if (is(call.arg(i), "withmatchlen")) {
                withMatchLen = true;
            } else if (is(call.arg(i), "minmatchlen") && i + 1 < call.argc()) {
                minMatchLen = Math.max(call.longArg(++i), 0);
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (idx && len) {
            throw Errors.err("If you want both the length and indexes, please just use IDX.");
        }
        int[] table = table(call, a, b);
        int width = b.length + 1;
        int length = table[a.length * width + b.length];
        if (len) {
            call.reply().integer(length);
            return;
        }
        byte[] common = new byte[length];
        List<long[]> ranges = new ArrayList<>();
        walkBack(a, b, table, common, ranges, minMatchLen);
        if (idx) {
            reply(call.reply(), ranges, withMatchLen, length);
        } else {
            call.reply().bulk(common);
        }
    }

    /** table[i * (b.length + 1) + j] is the LCS length of a[0..i) and b[0..j). */
    private static int[] table(Invocation call, byte[] a, byte[] b) {
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells > call.engine().config().getLong("proto-max-bulk-len") / Integer.BYTES) {
            throw Errors.err("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        ErrorReply failed = Errors.err("Insufficient memory, failed allocating transient memory for LCS");
        if (cells > Integer.MAX_VALUE - 8) {
            throw failed;
        }
        int[] table;
        try {
            table = new int[(int) cells];
        } catch (OutOfMemoryError outOfMemory) {
            throw failed;
        }
        int width = b.length + 1;
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                int cell = i * width + j;
                table[cell] = a[i - 1] == b[j - 1]
                        ? table[cell - width - 1] + 1
                        : Math.max(table[cell - width], table[cell - 1]);
            }
        }
        return table;
    }

    /**
     * Walks the table back from the ends of both strings, filling {@code common} from its end and
     * collecting each run of consecutive matches as {aStart, aEnd, bStart, bEnd}, last run first.
     * A run is closed by a mismatch or by reaching the start of either string; runs shorter than
     * {@code minMatchLen} are left out.
     */
    private static void walkBack(byte[] a, byte[] b, int[] table, byte[] common, List<long[]> ranges,
                                 long minMatchLen) {
        int width = b.length + 1;
        int i = a.length;
        int j = b.length;
        int k = common.length;
        long[] run = null;
        while (i > 0 && j > 0) {
            boolean close;
            if (a[i - 1] == b[j - 1]) {
                common[--k] = a[i - 1];
                if (run == null) {
                    run = new long[] {i - 1, i - 1, j - 1, j - 1};
                } else {
                    // Invariant: an open run always ends right after this match, so it grows backwards.
                    run[0]--;
                    run[2]--;
                }
                close = run[0] == 0 || run[2] == 0;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                close = run != null;
            }
            if (close) {
                if (minMatchLen == 0 || run[1] - run[0] + 1 >= minMatchLen) {
                    ranges.add(run);
                }
                run = null;
            }
        }
    }

    private static void reply(Reply reply, List<long[]> ranges, boolean withMatchLen, int length) {
        reply.map(2);
        reply.bulk("matches");
        reply.array(ranges.size());
        for (long[] run : ranges) {
            reply.array(withMatchLen ? 3 : 2);
            reply.array(2);
            reply.integer(run[0]);
            reply.integer(run[1]);
            reply.array(2);
            reply.integer(run[2]);
            reply.integer(run[3]);
            if (withMatchLen) {
                reply.integer(run[1] - run[0] + 1);
            }
        }
        reply.bulk("len");
        reply.integer(length);
    }

    private static boolean is(byte[] word, String lowerWord) {
        return Ascii.equalsIgnoreCaseUpToNul(word, lowerWord);
    }
}
