package io.postbox.persistence.rdb;

import io.postbox.commands.lists.PackedList;
import java.io.IOException;

/**
 * Turns the segments of an {@link RdbOutput} into file bytes, compressing the strings left to it and
 * encoding the nodes of the lists handed to it (with {@link NodeStretches}, on helper threads too),
 * and keeps the CRC-64 of everything written. One instance per thread (the snapshot's writer thread).
 */
public final class SegmentEncoder {

    /** Where the bytes go: a file, or memory in tests. */
    @FunctionalInterface
    public interface ByteSink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private final Lzf lzf = new Lzf();
    private final ByteSink sink;
    /** Encodes list nodes on helper threads too; null: on this thread, yielding after each node. */
    private final NodeStretches stretches;
    private final NodeEncoder nodes = new NodeEncoder(true);
    private byte[] scratch = new byte[1024];
    private long crc;
    private long written;

    /** An encoder that encodes list nodes on its own thread, yielding to the executor after each. */
    public SegmentEncoder(ByteSink sink) {
        this(sink, null);
    }

    SegmentEncoder(ByteSink sink, NodeStretches stretches) {
        this.sink = sink;
        this.stretches = stretches;
    }

    public void encode(Object segment) throws IOException {
        if (segment instanceof RdbOutput.ListNodes list) {
            encodeNodes(list);
        } else if (segment instanceof RdbOutput.Block block) {
            write(block.bytes(), 0, block.length());
            if (block.pool() != null) {
                block.pool().give(block.bytes());
            }
        } else {
            RdbOutput.CompressibleString string = (RdbOutput.CompressibleString) segment;
            if (scratch.length < string.length() + 18) {
                scratch = new byte[string.length() + 18];
            }
            write(scratch, 0, encodeCompressible(string.value(), string.length(), lzf, scratch, 0));
            if (string.pool() != null) {
                string.pool().give(string.value());
            }
        }
    }

    /**
     * Each chunk of the frozen list as a node: its container and its listpack as a string, the bytes
     * {@link RdbOutput#writeLength} and {@link RdbOutput#writeCopyOf} would have written for it.
     */
    private void encodeNodes(RdbOutput.ListNodes list) throws IOException {
        if (stretches != null) {
            stretches.encode(list, this::write);
            return;
        }
        PackedList.ChunkCursor cursor = list.list().chunkCursor(0);
        while (cursor.hasNext()) {
            nodes.reset(scratch);
            nodes.encode(cursor.take(1), list.compression());
            scratch = nodes.bytes();
            write(scratch, 0, nodes.length());
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
     * Writes the first {@code length} bytes of {@code value} as an RDB string at {@code at}:
     * LZF-compressed if that saves more than four bytes (Redis's rule), else its length and bytes.
     * {@code out} has room for the string plus 18 bytes from {@code at}. Returns the position after it.
     */
    static int encodeCompressible(byte[] value, int length, Lzf lzf, byte[] out, int at) {
        // Compress behind the largest possible header, then move the data up to the real one.
        int dataAt = at + 19;
        int compressed = length > 4 ? lzf.compress(value, 0, length, out, dataAt, length - 4) : 0;
        if (compressed > 0) {
            int h = RdbOutput.encodeLzfHeader(compressed, length, out, at);
            System.arraycopy(out, dataAt, out, h, compressed);
            return h + compressed;
        }
        return RdbOutput.encodePlainString(value, length, out, at);
    }
}
