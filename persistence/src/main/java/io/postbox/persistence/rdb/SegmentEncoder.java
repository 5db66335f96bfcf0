package io.postbox.persistence.rdb;

import java.io.IOException;

/**
 * Turns the segments of an {@link RdbOutput} into file bytes, compressing the strings left to it, and
 * keeps the CRC-64 of everything written. One instance per thread (the snapshot's writer thread).
 */
public final class SegmentEncoder {

    /** Where the bytes go: a file, or memory in tests. */
    @FunctionalInterface
    public interface ByteSink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private final Lzf lzf = new Lzf();
    private final ByteSink sink;
    private byte[] scratch = new byte[1024];
    private long crc;
    private long written;

    public SegmentEncoder(ByteSink sink) {
        this.sink = sink;
    }

    public void encode(Object segment) throws IOException {
        if (segment instanceof RdbOutput.Block block) {
            write(block.bytes(), 0, block.length());
        } else {
            byte[] value = ((RdbOutput.CompressibleString) segment).value();
            if (scratch.length < value.length + 18) {
                scratch = new byte[value.length + 18];
            }
            write(scratch, 0, encodeCompressible(value, lzf, scratch, 0));
        }
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        crc = Crc64.update(crc, bytes, offset, length);
        sink.write(bytes, offset, length);
        written += length;
    }

    /** The CRC-64 of everything written so far. */
    public long crc() {
        return crc;
    }

    public long written() {
        return written;
    }

    /**
     * Writes {@code value} as an RDB string at {@code at}: LZF-compressed if that saves more than four
     * bytes (Redis's rule), else its length and bytes. {@code out} has room for the value plus 18 bytes
     * from {@code at}. Returns the position after it.
     */
    static int encodeCompressible(byte[] value, Lzf lzf, byte[] out, int at) {
        // Compress behind the largest possible header, then move the data up to the real one.
        int dataAt = at + 19;
        int compressed = value.length > 4 ? lzf.compress(value, 0, value.length, out, dataAt, value.length - 4) : 0;
        if (compressed > 0) {
            int h = at;
            out[h++] = (byte) (RdbFormat.LENGTH_ENCODED << 6 | RdbFormat.ENCODED_LZF);
            h = RdbOutput.encodeLength(compressed, out, h);
            h = RdbOutput.encodeLength(value.length, out, h);
            System.arraycopy(out, dataAt, out, h, compressed);
            return h + compressed;
        }
        at = RdbOutput.encodeLength(value.length, out, at);
        System.arraycopy(value, 0, out, at, value.length);
        return at + value.length;
    }
}
