package io.postbox.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes client requests into argument vectors ({@code byte[][]}), following Redis's
 * {@code processMultibulkBuffer} and {@code processInlineBuffer} byte for byte, error texts included.
 *
 * <p>Emits {@code byte[][]} per command, then at most one {@link ProtocolError} or
 * {@link QueryBufferOverflow}, after which all input is discarded. Partial input is the normal case:
 * the state machine resumes where the bytes ran out.
 */
public final class RespDecoder extends ByteToMessageDecoder {

    /** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or length line it will wait for. */
    static final int MAX_LINE = 64 * 1024;
    private static final int UNAUTHENTICATED_MAX_ARGS = 10;
    private static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;
    private static final long INVALID = Long.MIN_VALUE;

    private enum State { COMMAND_START, BULK_LENGTH, BULK_DATA, FAILED }

    private final RequestLimits limits;
    private State state = State.COMMAND_START;
    private byte[][] args;
    private int argCount;
    private int argsExpected;
    private int bulkLength;
    private long pendingArgBytes;

    public RespDecoder(RequestLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable() && state != State.FAILED) {
            int before = in.readerIndex();
            Object message = switch (state) {
                case COMMAND_START -> in.getByte(before) == '*' ? multibulkHeader(in) : inline(in);
                case BULK_LENGTH -> bulkLength(in);
                case BULK_DATA -> bulkData(in);
                case FAILED -> null;
            };
            if (message != null) {
                out.add(message);
            } else if (in.readerIndex() == before) {
                break;
            }
        }
        if (state == State.FAILED) {
            in.skipBytes(in.readableBytes());
        } else if (in.readableBytes() + pendingArgBytes > limits.maxQueryBuffer()) {
            out.add(fail(new QueryBufferOverflow(in.readableBytes() + pendingArgBytes)));
            in.skipBytes(in.readableBytes());
        }
    }

    private Object inline(ByteBuf in) {
        int start = in.readerIndex();
        int newline = indexOfBeforeNul(in, start, '\n');
        if (newline < 0) {
            return in.readableBytes() > MAX_LINE ? protocolError("too big inline request") : null;
        }
        int end = newline > start && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(newline + 1);
        List<byte[]> words = InlineSplitter.split(line, 0, line.length);
        if (words == null) {
            return protocolError("unbalanced quotes in request");
        }
        return words.isEmpty() ? null : words.toArray(new byte[0][]);
    }

    private Object multibulkHeader(ByteBuf in) {
        int start = in.readerIndex();
        int cr = indexOfBeforeNul(in, start + 1, '\r');
        if (cr < 0) {
            return in.readableBytes() > MAX_LINE ? protocolError("too big mbulk count string") : null;
        }
        if (cr + 1 >= in.writerIndex()) {
            return null;
        }
        long count = parseLength(in, start + 1, cr);
        if (count == INVALID || count > Integer.MAX_VALUE) {
            return protocolError("invalid multibulk length");
        }
        if (count > UNAUTHENTICATED_MAX_ARGS && !limits.authenticated()) {
            return protocolError("unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        if (count <= 0) {
            return null;
        }
        argsExpected = (int) count;
        argCount = 0;
        args = new byte[Math.min(argsExpected, 1024)][];
        state = State.BULK_LENGTH;
        return null;
    }

    private Object bulkLength(ByteBuf in) {
        int start = in.readerIndex();
        int cr = indexOfBeforeNul(in, start, '\r');
        if (cr < 0) {
            return in.readableBytes() > MAX_LINE ? protocolError("too big bulk count string") : null;
        }
        if (cr + 1 >= in.writerIndex()) {
            return null;
        }
        byte type = in.getByte(start);
        if (type != '$') {
            return protocolError("expected '$', got '" + (char) (type & 0xff) + "'");
        }
        long length = parseLength(in, start + 1, cr);
        if (length == INVALID || length < 0 || length > limits.maxBulkLength()) {
            return protocolError("invalid bulk length");
        }
        if (length > UNAUTHENTICATED_MAX_BULK && !limits.authenticated()) {
            return protocolError("unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLength = (int) length;
        state = State.BULK_DATA;
        return null;
    }

    private Object bulkData(ByteBuf in) {
        // Like Redis, the two bytes after the data are skipped, not checked.
        if (in.readableBytes() < bulkLength + 2L) {
            return null;
        }
        byte[] arg = new byte[bulkLength];
        in.readBytes(arg);
        in.skipBytes(2);
        if (argCount == args.length) {
            args = Arrays.copyOf(args, Math.min(argsExpected, args.length * 2));
        }
        args[argCount++] = arg;
        pendingArgBytes += arg.length;
        if (argCount < argsExpected) {
            state = State.BULK_LENGTH;
            return null;
        }
        byte[][] command = args;
        args = null;
        pendingArgBytes = 0;
        state = State.COMMAND_START;
        return command;
    }

    private ProtocolError protocolError(String reason) {
        return fail(new ProtocolError("Protocol error: " + reason));
    }

    private <T> T fail(T error) {
        state = State.FAILED;
        args = null;
        pendingArgBytes = 0;
        return error;
    }

    /** Redis searches with strchr, which stops at a NUL byte: a NUL before the target hides it. */
    private static int indexOfBeforeNul(ByteBuf in, int from, char target) {
        int length = in.writerIndex() - from;
        if (length <= 0) {
            return -1;
        }
        int found = in.forEachByte(from, length, b -> b != target && b != 0);
        return found >= 0 && in.getByte(found) == target ? found : -1;
    }

    /**
     * Parses {@code in[from, to)} as Redis's string2ll does (optional '-', no '+', no leading zeros,
     * no spaces), returning {@link #INVALID} for anything else or for values past 18 digits.
     */
    private static long parseLength(ByteBuf in, int from, int to) {
        boolean negative = from < to && in.getByte(from) == '-';
        int digitsFrom = negative ? from + 1 : from;
        int digits = to - digitsFrom;
        boolean leadingZero = digits >= 1 && in.getByte(digitsFrom) == '0' && (digits > 1 || negative);
        if (digits < 1 || digits > 18 || leadingZero) {
            return INVALID;
        }
        long value = 0;
        for (int i = digitsFrom; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }
}
