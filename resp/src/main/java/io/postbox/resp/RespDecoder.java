package io.postbox.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes client requests into argument vectors ({@code byte[][]}), following Redis's
 * {@code processMultibulkBuffer} and {@code processInlineBuffer} byte for byte, error texts included.
 *
 * <p>Emits {@code byte[][]} per command, then at most one {@link ProtocolError} or
 * {@link QueryBufferOverflow}, after which all input is discarded. Partial input is the normal case:
 * the state machine resumes where the bytes ran out.
 *
 * <p>Each {@link #decode} call emits at most one message, so Netty hands every command to the next
 * handler before the following one is parsed. The limits that depend on earlier commands (AUTH lifts
 * the unauthenticated limits, CONFIG SET changes {@code proto-max-bulk-len}) therefore apply from the
 * very next command of a pipeline, as in Redis.
 */
public final class RespDecoder extends ByteToMessageDecoder {

    /** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or length line it will wait for. */
    static final int MAX_LINE = 64 * 1024;
    /**
     * Redis's PROTO_MBULK_BIG_ARG: a bulk this long gets its array as soon as its length is known and is
     * copied out as it arrives, so the input buffer never has to hold (and regrow around) all of it.
     */
    static final int BIG_ARG = 32 * 1024;
    /** Bytes of unparsed input a {@link QueryBufferOverflow} carries, for the log line. */
    static final int OVERFLOW_SAMPLE = 64;
    private static final int UNAUTHENTICATED_MAX_ARGS = 10;
    private static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;
    /** The largest byte[] the JVM reliably allocates; a longer bulk cannot be held as one argument. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Redis looks for line ends with strchr, which also stops at a NUL byte. */
    private static final ByteProcessor FIND_LF_OR_NUL = b -> b != '\n' && b != 0;

    private enum State { COMMAND_START, BULK_LENGTH, BULK_DATA, FAILED }

    private final RequestLimits limits;
    private final LengthLine lengthLine = new LengthLine();
    private State state = State.COMMAND_START;
    private byte[][] args;
    private int argCount;
    private int argsExpected;
    private int bulkLength;
    /** The big bulk being received (see {@link #BIG_ARG}), or null; its first {@code bigArgFilled} bytes have arrived. */
    private byte[] bigArg;
    private int bigArgFilled;

    public RespDecoder(RequestLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean emitted = false;
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
                emitted = true;
                break;
            }
            if (in.readerIndex() == before) {
                break;
            }
        }
        if (!emitted && state != State.FAILED) {
            // Waiting for more input: what is held is one partial request, Redis's query buffer.
            long held = in.readableBytes() + (bigArg == null ? 0 : bigArgFilled) + limits.heldBytes();
            if (held > limits.maxQueryBuffer()) {
                out.add(fail(new QueryBufferOverflow(held, sample(in))));
            }
        }
        if (state == State.FAILED) {
            in.skipBytes(in.readableBytes());
        }
    }

    private Object inline(ByteBuf in) {
        int start = in.readerIndex();
        int newline = findLineFeed(in, start);
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
        int cr = lengthLine.scan(in, start);
        if (cr < 0) {
            return in.readableBytes() > MAX_LINE ? protocolError("too big mbulk count string") : null;
        }
        // Like Redis, the byte after '\r' must have arrived but is skipped, not checked.
        if (cr + 1 >= in.writerIndex()) {
            return null;
        }
        long count = lengthLine.value();
        if (count == LengthLine.INVALID || count > Integer.MAX_VALUE) {
            return protocolError("invalid multibulk length");
        }
        if (count > UNAUTHENTICATED_MAX_ARGS && !limits.authenticated()) {
            return protocolError("unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        if (count <= 0) {
            // "*0" and any negative count are empty requests: skipped without a reply.
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
        int cr = lengthLine.scan(in, start);
        if (cr < 0) {
            return in.readableBytes() > MAX_LINE ? protocolError("too big bulk count string") : null;
        }
        if (cr + 1 >= in.writerIndex()) {
            return null;
        }
        byte type = cr == start ? (byte) '\r' : in.getByte(start);
        if (type != '$') {
            return protocolError("expected '$', got '" + (char) (type & 0xff) + "'");
        }
        long length = lengthLine.value();
        if (length == LengthLine.INVALID || length < 0 || length > limits.maxBulkLength() || length > MAX_ARRAY) {
            return protocolError("invalid bulk length");
        }
        if (length > UNAUTHENTICATED_MAX_BULK && !limits.authenticated()) {
            return protocolError("unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLength = (int) length;
        bigArg = length >= BIG_ARG ? new byte[bulkLength] : null;
        bigArgFilled = 0;
        state = State.BULK_DATA;
        return null;
    }

    private Object bulkData(ByteBuf in) {
        byte[] arg;
        if (bigArg != null) {
            int chunk = Math.min(in.readableBytes(), bulkLength - bigArgFilled);
            in.readBytes(bigArg, bigArgFilled, chunk);
            bigArgFilled += chunk;
            if (bigArgFilled < bulkLength || in.readableBytes() < 2) {
                return null;
            }
            arg = bigArg;
            bigArg = null;
        } else {
            if (in.readableBytes() < bulkLength + 2L) {
                return null;
            }
            arg = new byte[bulkLength];
            in.readBytes(arg);
        }
        // Like Redis, the two bytes after the data are skipped, not checked.
        in.skipBytes(2);
        if (argCount == args.length) {
            args = Arrays.copyOf(args, (int) Math.min(argsExpected, args.length * 2L));
        }
        args[argCount++] = arg;
        if (argCount < argsExpected) {
            state = State.BULK_LENGTH;
            return null;
        }
        byte[][] command = args;
        args = null;
        state = State.COMMAND_START;
        return command;
    }

    private ProtocolError protocolError(String reason) {
        return fail(new ProtocolError(reason));
    }

    private <T> T fail(T error) {
        state = State.FAILED;
        args = null;
        bigArg = null;
        return error;
    }

    /**
     * Input of the request being received that is not yet parsed, or not yet copied whole into its
     * argument: Redis's query buffer length (CLIENT LIST's {@code qbuf}, without requests held back).
     */
    public long pendingBytes() {
        return internalBuffer().readableBytes() + (bigArg == null ? 0 : bigArgFilled);
    }

    /**
     * The buffer that input not yet parsed waits in, in bytes allocated: the reads' direct memory this
     * decoder holds (a big argument is copied out of it, onto the heap).
     */
    public long bufferCapacity() {
        return internalBuffer().capacity();
    }

    /** Room allocated for input and not filled yet: Redis's {@code qbuf-free}. */
    public long freeBytes() {
        ByteBuf buffer = internalBuffer();
        return buffer.capacity() - buffer.writerIndex() + (bigArg == null ? 0 : bigArg.length - bigArgFilled);
    }

    /**
     * The arguments of the request being received that arrived whole, in bytes: Redis's argv_len_sum,
     * CLIENT LIST's {@code argv-mem}.
     */
    public long argumentBytes() {
        long bytes = 0;
        for (int i = 0; args != null && i < argCount; i++) {
            bytes += args[i].length;
        }
        return bytes;
    }

    /** The first bytes of the query buffer: of the big bulk being received, if any, else of the input. */
    private byte[] sample(ByteBuf in) {
        if (bigArg != null && bigArgFilled > 0) {
            return Arrays.copyOf(bigArg, Math.min(bigArgFilled, OVERFLOW_SAMPLE));
        }
        byte[] head = new byte[Math.min(in.readableBytes(), OVERFLOW_SAMPLE)];
        in.getBytes(in.readerIndex(), head);
        return head;
    }

    /** The index of the '\n' ending an inline line, or -1 if the input ends or a NUL comes first. */
    private static int findLineFeed(ByteBuf in, int from) {
        int found = in.forEachByte(from, in.writerIndex() - from, FIND_LF_OR_NUL);
        return found >= 0 && in.getByte(found) == '\n' ? found : -1;
    }
}
