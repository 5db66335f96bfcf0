package io.postbox.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Renders replies as RESP2 or RESP3 bytes into a Netty buffer.
 *
 * <p>The writer is reused across commands: the owner points it at the connection's outbound buffer
 * with {@link #target(ByteBuf)} and switches protocol on HELLO. Not thread-safe.
 */
public final class RespWriter implements Reply {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Pre-rendered {@code :n\r\n} for the integers commands answer most. */
    private static final int CACHED_INTEGERS = 1024;
    private static final byte[][] INTEGERS = new byte[CACHED_INTEGERS][];

    static {
        for (int i = 0; i < CACHED_INTEGERS; i++) {
            INTEGERS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Room for a type byte, a sign, 19 digits and CRLF: headers are rendered to end here in {@link #scratch}. */
    private static final int HEADER_END = 23;
    /**
     * Bulk strings up to this long leave with their header and CRLF in one buffer call. Netty copies an
     * array into a direct buffer through ByteBuffer's bulk put, which on JDK 17 moves arrays of up to 6
     * bytes one checked byte at a time, and each call passes half a dozen layers of checks: three calls
     * per element took a third of LRANGE's CPU.
     */
    private static final int SMALL_BULK = 64;
    private final byte[] scratch = new byte[HEADER_END + SMALL_BULK + CRLF.length];
    private int protocol;
    private ByteBuf out;

    public RespWriter(int protocol) {
        this.protocol = protocol;
    }

    public void target(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf target() {
        return out;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void simple(String text) {
        if (text.equals("OK")) {
            out.writeBytes(OK);
            return;
        }
        out.writeByte('+');
        out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        crlf();
    }

    @Override
    public void simple(byte[] text) {
        out.writeByte('+');
        out.writeBytes(text);
        crlf();
    }

    @Override
    public void ok() {
        out.writeBytes(OK);
    }

    @Override
    public void error(ErrorReply error) {
        out.writeByte('-');
        // A newline inside an error would end the reply early; Redis turns them into spaces too.
        out.writeCharSequence(error.text().replace('\r', ' ').replace('\n', ' '), StandardCharsets.ISO_8859_1);
        crlf();
    }

    @Override
    public void integer(long value) {
        if (value >= 0 && value < CACHED_INTEGERS) {
            out.writeBytes(INTEGERS[(int) value]);
            return;
        }
        header(':', value);
    }

    @Override
    public void bulk(byte[] value) {
        if (value.length > SMALL_BULK) {
            header('$', value.length);
            out.writeBytes(value);
            crlf();
            return;
        }
        int start = render('$', value.length);
        System.arraycopy(value, 0, scratch, HEADER_END, value.length);
        int end = HEADER_END + value.length;
        scratch[end++] = '\r';
        scratch[end++] = '\n';
        out.writeBytes(scratch, start, end - start);
    }

    @Override
    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
    }

    @Override
    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    @Override
    public void array(int length) {
        header('*', length);
    }

    @Override
    public void map(int pairs) {
        if (protocol == 3) {
            header('%', pairs);
        } else {
            header('*', 2L * pairs);
        }
    }

    @Override
    public void set(int length) {
        header(protocol == 3 ? '~' : '*', length);
    }

    @Override
    public void push(int length) {
        header(protocol == 3 ? '>' : '*', length);
    }

    @Override
    public void doubleValue(double value, byte[] text) {
        if (protocol == 3) {
            out.writeByte(',');
            out.writeBytes(text);
            crlf();
        } else {
            bulk(text);
        }
    }

    @Override
    public void bool(boolean value) {
        if (protocol == 3) {
            out.writeBytes(value ? TRUE3 : FALSE3);
        } else {
            integer(value ? 1 : 0);
        }
    }

    @Override
    public void bigNumber(byte[] digits) {
        if (protocol != 3) {
            bulk(digits);
            return;
        }
        out.writeByte('(');
        out.writeBytes(digits);
        crlf();
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (protocol != 3) {
            bulk(text);
            return;
        }
        header('=', text.length + 4L);
        out.writeCharSequence(format, StandardCharsets.ISO_8859_1);
        out.writeByte(':');
        out.writeBytes(text);
        crlf();
    }

    @Override
    public Reply attribute(int pairs) {
        if (protocol != 3) {
            return Reply.super.attribute(pairs);
        }
        header('|', pairs);
        return this;
    }

    /** One store of two bytes; as an array, they would take the slow path {@link #SMALL_BULK} tells of. */
    private void crlf() {
        out.writeShort('\r' << 8 | '\n');
    }

    /** Writes {@code <type><decimal>\r\n} with one call into the buffer. */
    private void header(char type, long value) {
        int start = render(type, value);
        out.writeBytes(scratch, start, HEADER_END - start);
    }

    /**
     * Renders {@code <type><decimal>\r\n} right to left into {@link #scratch}, ending at {@link
     * #HEADER_END}, so no digit costs a buffer call of its own and nothing is allocated; returns where
     * it starts.
     */
    private int render(char type, long value) {
        int at = HEADER_END;
        scratch[--at] = '\n';
        scratch[--at] = '\r';
        // Digits of the magnitude, taken as a negative number so Long.MIN_VALUE needs no special case.
        long rest = value < 0 ? value : -value;
        do {
            scratch[--at] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            scratch[--at] = '-';
        }
        scratch[--at] = (byte) type;
        return at;
    }
}
