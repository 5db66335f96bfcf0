package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;

/**
 * The interval arguments of XRANGE, XREVRANGE, XPENDING and XAUTOCLAIM: an ID, "-" or "+", or an
 * exclusive {@code (id}, which becomes the next (for a start) or previous (for an end) ID.
 */
final class StreamRanges {

    private static final ErrorReply BAD_START = Errors.err("invalid start ID for the interval");
    private static final ErrorReply BAD_END = Errors.err("invalid end ID for the interval");

    private StreamRanges() {
    }

    static StreamId start(byte[] text) {
        if (isExclusive(text)) {
            StreamId next = StreamId.parse(Arrays.copyOfRange(text, 1, text.length), 0, true).next();
            if (next == null) {
                throw BAD_START;
            }
            return next;
        }
        return StreamId.parse(text, 0, false);
    }

    static StreamId end(byte[] text) {
        if (isExclusive(text)) {
            StreamId previous = StreamId.parse(Arrays.copyOfRange(text, 1, text.length), -1L, true).previous();
            if (previous == null) {
                throw BAD_END;
            }
            return previous;
        }
        return StreamId.parse(text, -1L, false);
    }

    private static boolean isExclusive(byte[] text) {
        return text.length > 1 && text[0] == '(';
    }

    /** XRANGE key start end [COUNT count] and XREVRANGE key end start [COUNT count]. */
    static void range(Invocation call, boolean reverse) {
        StreamId start = start(call.arg(reverse ? 3 : 2));
        StreamId end = end(call.arg(reverse ? 2 : 3));
        long count = -1;
        for (int i = 4; i < call.argc(); i++) {
            if (call.argIs(i, "count") && i + 1 < call.argc()) {
                count = Math.max(0, call.longArg(i + 1));
                i++;
            } else {
                throw Errors.SYNTAX;
            }
        }
        StreamValue stream = call.db().get(call.arg(1), StreamValue.class);
        if (stream == null) {
            call.reply().array(0);
            return;
        }
        if (count == 0) {
            call.reply().nullArray();
            return;
        }
        StreamReplies.entries(call.reply(), stream.range(start, end, Math.max(count, 0), reverse));
    }

    static void xrange(Invocation call) {
        range(call, false);
    }

    static void xrevrange(Invocation call) {
        range(call, true);
    }

    static void xlen(Invocation call) {
        StreamValue stream = call.db().get(call.arg(1), StreamValue.class);
        call.reply().integer(stream == null ? 0 : stream.length);
    }
}
