package io.postbox.persistence.rdb;

import io.postbox.commands.lists.PackedList;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes RDB primitives (opcodes, lengths, strings, times) into segments for a {@link SegmentEncoder}
 * to turn into file bytes: blocks of bytes as they are, and long strings whose LZF compression is left
 * to the encoder, so a snapshot compresses on its writer thread and not on the executor. A string
 * handed over this way must never change afterwards (keyspace strings are replaced, never edited).
 *
 * <p>Lengths: one byte {@code 00xxxxxx} below 64; two bytes {@code 01xxxxxx xxxxxxxx} (big-endian)
 * below 16384; {@code 0x80} and 4 bytes big-endian below 2^32; else {@code 0x81} and 8 bytes
 * big-endian. A string is its length and bytes, or an integer in a special encoding: {@code 0xC0} and
 * 1 byte, {@code 0xC1} and 2 bytes, {@code 0xC2} and 4 bytes (little-endian, signed), for strings of up
 * to 11 bytes that are canonical integers in 32 bits; or {@code 0xC3}, the compressed length, the
 * original length and the LZF data, for strings over 20 bytes that compress (with rdbcompression).
 *
 * <p>Blocks, and the copies made by {@link #writeCopyOf}, are arrays of a {@link BufferPool} that the
 * {@link SegmentEncoder} hands back once it has written them, so encoding a snapshot makes little garbage.
 * The nodes of a large list are a segment of their own ({@link #writeNodesOf}), encoded by the encoder's
 * thread from a frozen copy of the list.
 *
 * <p>Not thread-safe: one owner thread; {@link #drain()} hands the segments over.
 */
public final class RdbOutput {

    /**
     * The first {@code length} bytes of {@code value}, a string the encoder writes compressed if that
     * makes it shorter, else as it is; if {@code pool} is not null, {@code value} goes back to it once
     * written.
     */
    public record CompressibleString(byte[] value, int length, BufferPool pool) {
    }

    /**
     * {@code length} bytes of {@code bytes}, to be written as they are; if {@code pool} is not null,
     * {@code bytes} goes back to it once written.
     */
    public record Block(byte[] bytes, int length, BufferPool pool) {
    }

    /**
     * The nodes of a list as QUICKLIST_2 writes them after its node count (per chunk: container
     * {@code 2} and a listpack as a string), left whole to the encoder: {@code list} is a
     * {@link PackedList#copy()} that nobody changes, so the encoder may read it on another thread once
     * it was handed over through a queue. {@code length} is about the bytes it encodes to, uncompressed.
     */
    public record ListNodes(PackedList list, boolean compression, long length) {
    }

    /** Blocks are arrays of the pool, so they go back to it once written. */
    private static final int BLOCK_SIZE = BufferPool.BUFFER_BYTES;
    /** Strings up to this long are compressed at once: handing them over would cost more than LZF. */
    private static final int INLINE_COMPRESSION_LIMIT = 1024;

    private final boolean compression;
    private final BufferPool pool;
    private final CanonicalInteger integer = new CanonicalInteger();
    private final Lzf lzf = new Lzf();
    private List<Object> segments = new ArrayList<>();
    private byte[] block;
    private int used;
    private long pending;

    /** @param compression whether long strings are offered to LZF (rdbcompression) */
    public RdbOutput(boolean compression) {
        this(compression, new BufferPool());
    }

    /** @param pool where {@link #writeCopyOf} takes arrays for strings left to the encoder */
    public RdbOutput(boolean compression, BufferPool pool) {
        this.compression = compression;
        this.pool = pool;
    }

    public RdbOutput writeByte(int b) {
        ensure(1);
        block[used++] = (byte) b;
        return this;
    }

    public RdbOutput writeRaw(byte[] bytes) {
        return writeRaw(bytes, 0, bytes.length);
    }

    public RdbOutput writeRaw(byte[] bytes, int offset, int length) {
        while (length > 0) {
            ensure(1);
            int n = Math.min(length, block.length - used);
            System.arraycopy(bytes, offset, block, used, n);
            used += n;
            offset += n;
            length -= n;
        }
        return this;
    }

    public RdbOutput writeLength(long length) {
        ensure(9);
        used = encodeLength(length, block, used);
        return this;
    }

    /** Writes {@code length} into {@code out} at {@code at}; returns the position after it. */
    static int encodeLength(long length, byte[] out, int at) {
        if (length < 1 << 6) {
            out[at++] = (byte) length;
        } else if (length < 1 << 14) {
            out[at++] = (byte) (LENGTH_14BIT_PREFIX | length >>> 8);
            out[at++] = (byte) length;
        } else if (length <= 0xFFFFFFFFL) {
            out[at++] = (byte) RdbFormat.LENGTH_32BIT;
            for (int shift = 24; shift >= 0; shift -= 8) {
                out[at++] = (byte) (length >>> shift);
            }
        } else {
            out[at++] = (byte) RdbFormat.LENGTH_64BIT;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) (length >>> shift);
            }
        }
        return at;
    }

    private static final int LENGTH_14BIT_PREFIX = RdbFormat.LENGTH_14BIT << 6;

    /** Writes the first {@code length} bytes of {@code value} as a plain RDB string; returns the position after it. */
    static int encodePlainString(byte[] value, int length, byte[] out, int at) {
        at = encodeLength(length, out, at);
        System.arraycopy(value, 0, out, at, length);
        return at + length;
    }

    /**
     * Writes the header of an LZF-compressed RDB string, whose {@code compressedLength} bytes follow it
     * and decompress to {@code length}; returns the position after it.
     */
    static int encodeLzfHeader(int compressedLength, int length, byte[] out, int at) {
        out[at++] = (byte) (RdbFormat.LENGTH_ENCODED << 6 | RdbFormat.ENCODED_LZF);
        at = encodeLength(compressedLength, out, at);
        return encodeLength(length, out, at);
    }

    /** Unix milliseconds, 8 bytes little-endian (after EXPIRETIME_MS). */
    public RdbOutput writeMillis(long millis) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            block[used++] = (byte) (millis >>> (8 * i));
        }
        return this;
    }

    /** A double in binary form: its IEEE 754 bits, 8 bytes little-endian (scores in ZSET_2). */
    public RdbOutput writeBinaryDouble(double value) {
        long bits = Double.doubleToRawLongBits(value);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            block[used++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    /** A string value; {@code value} must not change afterwards (it may be compressed later, elsewhere). */
    public RdbOutput writeString(byte[] value) {
        if (value.length <= RdbFormat.INTEGER_STRING_LIMIT && integer.parse(value, 0, value.length)
                && writeEncodedInteger(integer.value())) {
            return this;
        }
        if (compression && value.length > RdbFormat.COMPRESSION_THRESHOLD) {
            if (value.length > INLINE_COMPRESSION_LIMIT) {
                closeBlock();
                segments.add(new CompressibleString(value, value.length, null));
                pending += value.length;
                return this;
            }
            ensure(value.length + 18);
            used = SegmentEncoder.encodeCompressible(value, value.length, lzf, block, used);
            return this;
        }
        writeLength(value.length);
        return writeRaw(value);
    }

    /**
     * A string of the first {@code length} bytes of {@code bytes}, which the caller goes on to reuse:
     * copied now, into the block or, if it is left to the encoder to compress, into an array of the
     * pool. Never integer-encoded (for packed encodings such as listpacks, which never read as one).
     */
    public RdbOutput writeCopyOf(byte[] bytes, int length) {
        if (compression && length > RdbFormat.COMPRESSION_THRESHOLD) {
            if (length > INLINE_COMPRESSION_LIMIT) {
                byte[] copy = pool.take(length);
                System.arraycopy(bytes, 0, copy, 0, length);
                closeBlock();
                segments.add(new CompressibleString(copy, length, pool));
                pending += length;
                return this;
            }
            ensure(length + 18);
            used = SegmentEncoder.encodeCompressible(bytes, length, lzf, block, used);
            return this;
        }
        writeLength(length);
        return writeRaw(bytes, 0, length);
    }

    /**
     * The nodes of {@code frozen}, a copy of a list that no one changes any more, encoded later by the
     * {@link SegmentEncoder} (on the snapshot's writer thread) exactly as the executor would have.
     */
    public RdbOutput writeNodesOf(PackedList frozen) {
        closeBlock();
        ListNodes nodes = new ListNodes(frozen, compression, frozen.usedBytes());
        segments.add(nodes);
        pending += nodes.length();
        return this;
    }

    /** Writes {@code text} as a string (aux field names and values). */
    public RdbOutput writeString(String text) {
        return writeString(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private boolean writeEncodedInteger(long v) {
        int encoded = RdbFormat.LENGTH_ENCODED << 6;
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(encoded | RdbFormat.ENCODED_INT8).writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(encoded | RdbFormat.ENCODED_INT16).writeByte((int) v).writeByte((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte(encoded | RdbFormat.ENCODED_INT32);
            for (int i = 0; i < 4; i++) {
                writeByte((int) (v >>> (8 * i)));
            }
        } else {
            return false;
        }
        return true;
    }

    /** Bytes encoded and not drained yet (strings counted uncompressed). */
    public long pendingBytes() {
        return pending + used;
    }

    /** The segments encoded since the last drain, in order; the output is empty afterwards. */
    public List<Object> drain() {
        closeBlock();
        List<Object> drained = segments;
        segments = new ArrayList<>();
        pending = 0;
        return drained;
    }

    /** Moves everything {@code other} holds to the end of this output. */
    public void append(RdbOutput other) {
        closeBlock();
        for (Object segment : other.drain()) {
            segments.add(segment);
            pending += length(segment);
        }
    }

    /** About the bytes a segment encodes to, uncompressed: what it counts in a backlog. */
    public static long length(Object segment) {
        if (segment instanceof Block block) {
            return block.length();
        }
        if (segment instanceof ListNodes nodes) {
            return nodes.length();
        }
        return ((CompressibleString) segment).length();
    }

    /** Ends the current block; a mostly empty one is copied out so its array can be filled further. */
    private void closeBlock() {
        if (used == 0) {
            return;
        }
        if (used < BLOCK_SIZE / 2) {
            segments.add(new Block(java.util.Arrays.copyOf(block, used), used, null));
        } else {
            segments.add(new Block(block, used, pool));
            block = null;
        }
        pending += used;
        used = 0;
    }

    private void ensure(int bytes) {
        if (block == null) {
            block = pool.take(BLOCK_SIZE);
        } else if (used + bytes > block.length) {
            closeBlock();
            if (block == null) {
                block = pool.take(BLOCK_SIZE);
            }
        }
    }
}
