package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;

/**
 * The options XADD and XTRIM share, read in Redis's order (streamParseAddOrTrimArgsOrReply): MAXLEN or
 * MINID with an optional {@code =} or {@code ~}, LIMIT, and for XADD NOMKSTREAM and the ID, which ends
 * the options. An approximate trim without LIMIT is capped at 100 nodes' worth of entries (at least
 * 10,000 when that is 0, at most 1,000,000).
 */
final class TrimArguments {

    private static final ErrorReply BOTH = Errors.err(
            "syntax error, MAXLEN and MINID options at the same time are not compatible");
    private static final ErrorReply LIMIT_WITHOUT_STRATEGY = Errors.err(
            "syntax error, LIMIT cannot be used without specifying a trimming strategy");
    private static final ErrorReply XTRIM_WITHOUT_STRATEGY = Errors.err(
            "syntax error, XTRIM must be called with a trimming strategy");
    private static final ErrorReply LIMIT_WITHOUT_APPROX = Errors.err(
            "syntax error, LIMIT cannot be used without the special ~ option");

    /** The trim, or null for none. */
    StreamTrim trim;
    /** Index of the MAXLEN/MINID value argument (AOF rewrites it). */
    int trimValueIndex;
    boolean noMkStream;
    /** XADD: the index of the ID argument (may equal argc when missing). */
    int idIndex;
    /** XADD: the explicit ID, or null for "*". */
    StreamId id;
    /** XADD: false for {@code ms-*}. */
    boolean seqGiven = true;

    static TrimArguments parse(Invocation call, boolean xadd) {
        TrimArguments parsed = new TrimArguments();
        boolean byLength = false;
        boolean strategy = false;
        boolean approx = false;
        long maxLength = 0;
        StreamId minId = StreamId.MIN;
        long limit = 0;
        boolean limitGiven = false;
        int argc = call.argc();
        int i = 2;
        for (; i < argc; i++) {
            int more = argc - 1 - i;
            byte[] option = call.arg(i);
            if (xadd && option.length == 1 && option[0] == '*') {
                break;
            } else if ((call.argIs(i, "maxlen") || call.argIs(i, "minid")) && more > 0) {
                if (strategy) {
                    throw BOTH;
                }
                strategy = true;
                byLength = call.argIs(i, "maxlen");
                approx = more >= 2 && isWord(call.arg(i + 1), '~');
                if (approx || more >= 2 && isWord(call.arg(i + 1), '=')) {
                    i++;
                }
                i++;
                parsed.trimValueIndex = i;
                if (byLength) {
                    maxLength = call.longArg(i);
                    if (maxLength < 0) {
                        throw Errors.err("The MAXLEN argument must be >= 0.");
                    }
                } else {
                    minId = StreamId.parseStrict(call.arg(i));
                }
            } else if (call.argIs(i, "limit") && more > 0) {
                limit = call.longArg(i + 1);
                if (limit < 0) {
                    throw Errors.err("The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && call.argIs(i, "nomkstream")) {
                parsed.noMkStream = true;
            } else if (xadd) {
                byte[] text = call.arg(i);
                if (StreamId.hasWildcardSeq(text)) {
                    parsed.id = new StreamId(StreamId.unsigned(text, 0, text.length - 2), 0);
                    parsed.seqGiven = false;
                } else {
                    parsed.id = StreamId.parseStrict(text);
                }
                break;
            } else {
                throw Errors.SYNTAX;
            }
        }
        parsed.idIndex = i;
        if (limit != 0 && !strategy) {
            throw LIMIT_WITHOUT_STRATEGY;
        }
        if (!xadd && !strategy) {
            throw XTRIM_WITHOUT_STRATEGY;
        }
        if (call.client().mustObey()) {
            // The log and a master's stream hold the trim as it ran (MAXLEN = <length after> or MINID =
            // <first ID after>), still with the caller's LIMIT, which must not cut it short: Redis
            // ignores it there.
            limit = 0;
        } else if (limitGiven) {
            if (!approx) {
                throw LIMIT_WITHOUT_APPROX;
            }
        } else if (approx) {
            limit = 100 * call.engine().config().getLong("stream-node-max-entries");
            if (limit <= 0) {
                limit = 10000;
            } else if (limit > 1_000_000) {
                limit = 1_000_000;
            }
        } else {
            limit = 0;
        }
        if (strategy) {
            parsed.trim = new StreamTrim(byLength, maxLength, minId, approx, limit);
        }
        return parsed;
    }

    private static boolean isWord(byte[] arg, char c) {
        return arg.length == 1 && arg[0] == c;
    }
}
