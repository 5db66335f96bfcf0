package io.postbox.persistence.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RDB primitives (see {@link RdbOutput} for their encoding) from a stream, keeping the offset
 * for error messages and the CRC-64 of every byte consumed. Not thread-safe, but for {@link #readSoFar}.
 */
public final class RdbInput {

    private final InputStream in;
    private final String source;
    private final byte[] buffer;
    /** LZF input that spans a refill of {@link #buffer}, reused. */
    private byte[] compressed = new byte[0];
    private int pos;
    private int limit;
    /** File offset of buffer[0]. */
    private long bufferOffset;
    /** File offset of the end of what is buffered: how far the stream is read, for other threads. */
    private volatile long readSoFar;
    /** Whether {@link #readSoFar} follows the records reported read ({@link #recordRead}), not the buffer. */
    private boolean progressByRecord;
    /** The CRC covers the stream up to buffer[crcFrom]. */
    private int crcFrom;
    private long crc;
    /** Checks of values stored unchecked, due unless a verified checksum vouches for the file. */
    private final List<DeferredCheck> deferredChecks = new ArrayList<>();

    /** @param source the file name, for error messages */
    public RdbInput(InputStream in, String source) {
        this.in = in;
        this.source = source;
        this.buffer = new byte[1 << 16];
    }

    private RdbInput(byte[] bytes, int length, String source) {
        this.in = InputStream.nullInputStream();
        this.source = source;
        this.buffer = bytes;
        this.limit = length;
        this.readSoFar = length;
    }

    /**
     * Reads the first {@code length} bytes of {@code bytes} where they are (a DUMP payload, read once
     * per RESTORE): no buffer of its own, no copy.
     */
    public static RdbInput over(byte[] bytes, int length, String source) {
        return new RdbInput(bytes, length, source);
    }

    /** Offset of the next byte to be read. */
    public long offset() {
        return bufferOffset + pos;
    }

    /** How many bytes of the stream are read (some may be buffered still); callable from any thread. */
    public long readSoFar() {
        return readSoFar;
    }

    /**
     * From now on {@link #readSoFar} moves only as records are reported read: for a load slowed down
     * key by key (key-load-delay), whose buffer is far ahead of what it has parsed.
     */
    public void progressByRecord() {
        progressByRecord = true;
        readSoFar = offset();
    }

    /** A record ends here: after {@link #progressByRecord}, other threads see the stream read up to it. */
    public void recordRead() {
        if (progressByRecord) {
            readSoFar = offset();
        }
    }

    /** An error about the bytes just read, naming the file and offset. */
    public RdbFormatException corrupt(String what) {
        return corrupt(what, offset());
    }

    /** An error about the bytes before {@code offset}; callable from any thread. */
    public RdbFormatException corrupt(String what, long offset) {
        return new RdbFormatException(what + " (" + source + " at offset " + offset + ")");
    }

    /** The CRC-64 of every byte read so far. */
    public long crc() {
        settleCrc();
        return crc;
    }

    public int readByte() throws IOException {
        if (pos == limit && !fill()) {
            throw corrupt("Unexpected end of file");
        }
        return buffer[pos++] & 0xff;
    }

    public void readFully(byte[] out, int offset, int length) throws IOException {
        while (length > 0) {
            if (pos == limit && !fill()) {
                throw corrupt("Unexpected end of file");
            }
            int n = Math.min(length, limit - pos);
            System.arraycopy(buffer, pos, out, offset, n);
            pos += n;
            offset += n;
            length -= n;
        }
    }

    /** A length; an encoded-string marker here is an error. */
    public long readLength() throws IOException {
        int first = readByte();
        if (first >>> 6 == RdbFormat.LENGTH_ENCODED) {
            throw corrupt("Unexpected encoded length");
        }
        return readLength(first);
    }

    /** A length that must fit in an int (element counts, string sizes). */
    public int readSize() throws IOException {
        long length = readLength();
        if (length > Integer.MAX_VALUE - 16) {
            throw corrupt("Length " + length + " is too large");
        }
        return (int) length;
    }

    private long readLength(int first) throws IOException {
        switch (first >>> 6) {
            case RdbFormat.LENGTH_6BIT:
                return first & 0x3f;
            case RdbFormat.LENGTH_14BIT:
                return (first & 0x3f) << 8 | readByte();
            default:
                if (first == RdbFormat.LENGTH_32BIT) {
                    return readBigEndian(4);
                }
                if (first == RdbFormat.LENGTH_64BIT) {
                    return readBigEndian(8);
                }
                throw corrupt("Unknown length encoding " + first);
        }
    }

    private long readBigEndian(int bytes) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = v << 8 | readByte();
        }
        return v;
    }

    public long readLittleEndian(int bytes) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) readByte() << (8 * i);
        }
        return v;
    }

    /** A string in any of its encodings: plain, integer or LZF. */
    public byte[] readString() throws IOException {
        int first = readByte();
        if (first >>> 6 != RdbFormat.LENGTH_ENCODED) {
            long length = readLength(first);
            if (length > Integer.MAX_VALUE - 16) {
                throw corrupt("String length " + length + " is too large");
            }
            byte[] value = new byte[(int) length];
            readFully(value, 0, value.length);
            return value;
        }
        return readEncoded(first);
    }

    /** A string as the file stores it when LZF-compressed: the compressed bytes and the string's length. */
    public record LzfString(byte[] packed, int length) {
    }

    /**
     * The next string, left compressed, if it is LZF-compressed; else null, and the string is still to
     * be read ({@link #readString()}).
     */
    public LzfString readLzfString() throws IOException {
        if (pos == limit && !fill()) {
            throw corrupt("Unexpected end of file");
        }
        if ((buffer[pos] & 0xff) != (RdbFormat.LENGTH_ENCODED << 6 | RdbFormat.ENCODED_LZF)) {
            return null;
        }
        pos++;
        int packedLength = readSize();
        int length = readSize();
        byte[] packed = new byte[packedLength];
        readFully(packed, 0, packedLength);
        return new LzfString(packed, length);
    }

    /** The string {@code string} holds, decompressed; an error names the offset {@code at} if it is not valid LZF. */
    public byte[] decompress(LzfString string, long at) throws RdbFormatException {
        byte[] value = new byte[string.length()];
        decompress(string.packed(), 0, string.packed().length, value, value.length, at);
        return value;
    }

    /** A check of a value stored without it, failing with an error that names the file and offset. */
    @FunctionalInterface
    public interface DeferredCheck {
        void run() throws RdbFormatException;
    }

    /**
     * Puts off {@code check} until the end of the file: it runs there unless the file's checksum is
     * verified, whose match vouches for the bytes the check would examine, and no deep sanitisation is
     * asked for ({@link #settleDeferredChecks}).
     */
    public void deferUnlessChecksummed(DeferredCheck check) {
        deferredChecks.add(check);
    }

    /**
     * Runs the deferred checks, unless {@code vouchedFor} (a verified checksum, no deep sanitisation
     * asked for); either way they are then dropped.
     */
    public void settleDeferredChecks(boolean vouchedFor) throws RdbFormatException {
        if (!vouchedFor) {
            for (DeferredCheck check : deferredChecks) {
                check.run();
            }
        }
        deferredChecks.clear();
    }

    /** A string in one of the encodings marked by {@code first}'s top bits 11: an integer or LZF. */
    private byte[] readEncoded(int first) throws IOException {
        switch (first & 0x3f) {
            case RdbFormat.ENCODED_INT8:
                return CanonicalInteger.format((byte) readByte());
            case RdbFormat.ENCODED_INT16:
                return CanonicalInteger.format((short) readLittleEndian(2));
            case RdbFormat.ENCODED_INT32:
                return CanonicalInteger.format((int) readLittleEndian(4));
            case RdbFormat.ENCODED_LZF:
                int packedLength = readSize();
                byte[] value = new byte[readSize()];
                decompressInto(packedLength, value, value.length);
                return value;
            default:
                throw corrupt("Unknown RDB string encoding type " + (first & 0x3f));
        }
    }

    /** Decompresses from the read buffer when the packed bytes are all in it, else from a copy. */
    private void decompressInto(int packedLength, byte[] out, int outLength) throws IOException {
        byte[] packed = buffer;
        int from = pos;
        if (limit - pos >= packedLength) {
            pos += packedLength;
        } else {
            if (compressed.length < packedLength) {
                compressed = new byte[Math.max(packedLength, compressed.length * 2)];
            }
            readFully(compressed, 0, packedLength);
            packed = compressed;
            from = 0;
        }
        decompress(packed, from, packedLength, out, outLength, offset());
    }

    /** {@link Lzf#decompress}, an invalid stream an error about the string before {@code at}. */
    private void decompress(byte[] packed, int from, int packedLength, byte[] out, int outLength, long at)
            throws RdbFormatException {
        try {
            Lzf.decompress(packed, from, packedLength, out, outLength);
        } catch (IllegalArgumentException e) {
            throw corrupt("Invalid LZF compressed string: " + e.getMessage(), at);
        }
    }

    /** A double in binary form: 8 bytes little-endian IEEE 754 (ZSET_2 scores). */
    public double readBinaryDouble() throws IOException {
        return Double.longBitsToDouble(readLittleEndian(8));
    }

    /**
     * A double as text (ZSET scores of RDB versions before 8): a length byte, then that many
     * characters; lengths 253, 254 and 255 stand for NaN, +inf and -inf.
     */
    public double readTextDouble() throws IOException {
        int length = readByte();
        switch (length) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] text = new byte[length];
                readFully(text, 0, length);
                try {
                    return Double.parseDouble(new String(text, java.nio.charset.StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw corrupt("Bad double value");
                }
        }
    }

    private boolean fill() throws IOException {
        settleCrc();
        bufferOffset += limit;
        pos = 0;
        crcFrom = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        limit = n;
        if (!progressByRecord) {
            readSoFar = bufferOffset + n;
        }
        return true;
    }

    private void settleCrc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buffer, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
    }
}
