package io.postbox.persistence.aof;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the commands of an append-only file: RESP arrays of bulk strings, each
 * {@code *<count>\r\n} then {@code $<length>\r\n<bytes>\r\n} per argument. Lines starting with
 * {@code #} are annotations (aof-timestamp-enabled) and are skipped. Tracks the offset of the end of
 * the last complete command, where a torn file is cut. Not thread-safe.
 */
final class CommandReader {

    /** The file ends in the middle of a command; {@link #validUpTo()} is where the last one ended. */
    static final class Truncated extends IOException {
        Truncated() {
            super("short read");
        }
    }

    /** The bytes are not commands. */
    static final class BadFormat extends IOException {
        BadFormat(String what) {
            super(what);
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long offset;
    private long validUpTo;

    /** @param startOffset the file offset {@code in} starts at (after an RDB preamble) */
    CommandReader(InputStream in, long startOffset) {
        this.in = in;
        this.offset = startOffset;
        this.validUpTo = startOffset;
    }

    long validUpTo() {
        return validUpTo;
    }

    /** The next command, or null at the end of the file (after a complete command). */
    byte[][] next() throws IOException {
        while (true) {
            int first = peek();
            if (first < 0) {
                return null;
            }
            if (first != '#') {
                break;
            }
            readLine();
            validUpTo = offset;
        }
        String header = readLine();
        if (header.isEmpty() || header.charAt(0) != '*') {
            throw new BadFormat("expected '*' at offset " + validUpTo);
        }
        int count = parseCount(header);
        if (count < 1) {
            throw new BadFormat("bad argument count at offset " + validUpTo);
        }
        byte[][] args = new byte[count][];
        for (int i = 0; i < count; i++) {
            String bulk = readLine();
            if (bulk.isEmpty() || bulk.charAt(0) != '$') {
                throw new BadFormat("expected '$' at offset " + validUpTo);
            }
            int length = parseCount(bulk);
            if (length < 0) {
                throw new BadFormat("bad bulk length at offset " + validUpTo);
            }
            args[i] = readBytes(length);
            if (readByte() != '\r' || readByte() != '\n') {
                throw new BadFormat("bulk not followed by CRLF at offset " + validUpTo);
            }
        }
        validUpTo = offset;
        return args;
    }

    private static int parseCount(String line) throws BadFormat {
        try {
            return Integer.parseInt(line.substring(1));
        } catch (NumberFormatException e) {
            throw new BadFormat("bad number '" + line + "'");
        }
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos] & 0xff;
    }

    private int readByte() throws IOException {
        if (pos == limit && !fill()) {
            throw new Truncated();
        }
        offset++;
        return buffer[pos++] & 0xff;
    }

    /** A line without its CRLF, ISO-8859-1. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new BadFormat("CR not followed by LF");
                }
                return line.toString();
            }
            if (line.length() > 64) {
                throw new BadFormat("line too long");
            }
            line.append((char) b);
        }
    }

    private byte[] readBytes(int length) throws IOException {
        byte[] out = new byte[Math.min(length, 1 << 20)];
        int done = 0;
        while (done < length) {
            if (pos == limit && !fill()) {
                throw new Truncated();
            }
            if (done == out.length) {
                out = Arrays.copyOf(out, (int) Math.min((long) length, out.length * 2L));
            }
            int n = Math.min(Math.min(length - done, limit - pos), out.length - done);
            System.arraycopy(buffer, pos, out, done, n);
            pos += n;
            done += n;
            offset += n;
        }
        return out;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
