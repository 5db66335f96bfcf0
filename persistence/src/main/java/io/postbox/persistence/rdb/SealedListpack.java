package io.postbox.persistence.rdb;

import io.postbox.commands.keyspace.ObjectSizes;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.lists.SealedNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A list node loaded from an RDB file and kept as the file had it, a listpack compressed with LZF, until
 * the list first reads or removes one of its elements ({@link SealedNode}). Loading a long list then
 * costs reading and checksumming its nodes, not decompressing and converting them (most of the work
 * otherwise, about 1 GB/s of listpack); a consumer that pops its way through unpacks one node every
 * few hundred pops. A node still sealed when a snapshot is written is copied into it as it is.
 *
 * <p>The element count comes from the listpack's header, which the compressor leaves as it is: an LZF
 * stream starts with a literal run (there is nothing yet to refer back to), which covers the six bytes
 * of the header unless they repeat their own first three. The rest is checked when the node is
 * unpacked, or at the end of the load when no verified checksum vouches for the file
 * ({@link RdbInput#deferUnlessChecksummed}) or {@code sanitize-dump-payload yes} asks for every value
 * to be checked whole.
 */
public final class SealedListpack implements SealedNode {

    private final byte[] packed;
    private final int length;
    private final int count;

    private SealedListpack(byte[] packed, int length, int count) {
        this.packed = packed;
        this.length = length;
        this.count = count;
    }

    /**
     * The node whose listpack {@code string} holds compressed, or null if its header is not in the
     * stream's first literal run, does not match the string's length, or does not give a count from 1
     * to 65534: such a node is decompressed at once instead.
     */
    static SealedListpack of(RdbInput.LzfString string) {
        byte[] packed = string.packed();
        if (packed.length < 1 + Listpack.HEADER || (packed[0] & 0xff) + 1 < Listpack.HEADER
                || Listpack.getInt(packed, 1) != string.length()) {
            return null;
        }
        int count = (packed[5] & 0xff) | (packed[6] & 0xff) << 8;
        if (count == 0 || count == Listpack.UNKNOWN_COUNT) {
            return null;
        }
        return new SealedListpack(packed, string.length(), count);
    }

    /**
     * The node {@code listpack}'s elements become when a snapshot writes them and a start loads that
     * file, or null if they do not compress: for building a list such as a loaded one. Empties the
     * builder.
     */
    public static SealedListpack loadedFrom(Listpack.Builder listpack) {
        byte[] written = new byte[listpack.size() + 18];
        int length = listpack.writeTo(written, 0, true, new Lzf());
        try {
            RdbInput.LzfString string = new RdbInput(new ByteArrayInputStream(written, 0, length), "a listpack")
                    .readLzfString();
            return string == null ? null : of(string);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array", e);
        }
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int bytes() {
        return (int) (ObjectSizes.object(3) + ObjectSizes.byteArray(packed.length));
    }

    /** @throws IllegalArgumentException if the bytes are not valid LZF, or not a well-formed listpack */
    @Override
    public void unpackInto(PackedList list) {
        Listpack.appendTo(list, listpack());
    }

    /** Unpacks the node into a list thrown away: what {@link #unpackInto} would find wrong, as an error at {@code at}. */
    void check(RdbInput in, long at) throws RdbFormatException {
        try {
            unpackInto(new PackedList());
        } catch (IllegalArgumentException e) {
            throw in.corrupt("Listpack integrity check failed: " + e.getMessage(), at);
        }
    }

    /**
     * Writes the node as an RDB string at {@code at} in {@code out}, which has room for it and 18 bytes
     * more: as it was read with {@code compression}, else its listpack decompressed. Returns the
     * position after it.
     */
    int writeTo(byte[] out, int at, boolean compression) {
        if (!compression) {
            return RdbOutput.encodePlainString(listpack(), length, out, at);
        }
        at = RdbOutput.encodeLzfHeader(packed.length, length, out, at);
        System.arraycopy(packed, 0, out, at, packed.length);
        return at + packed.length;
    }

    /** The most bytes {@link #writeTo} writes. */
    int maxWritten() {
        return Math.max(length, packed.length) + 18;
    }

    private byte[] listpack() {
        byte[] listpack = new byte[length];
        Lzf.decompress(packed, 0, packed.length, listpack);
        return listpack;
    }
}
