package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.lists.PackedList;
import java.io.IOException;

/**
 * Lists. Written as Redis 7.0 writes them, type 18 (QUICKLIST_2): the node count, then per node its
 * container ({@code 2}, packed) and a listpack of its elements as one RDB string. Each chunk of a
 * {@link PackedList} becomes one node, so a node holds about 8 KB as Redis's do. The nodes of a long
 * list are encoded off the executor, from a frozen copy (see {@link Writer}).
 *
 * <p>Read from every list encoding Redis has written: 1 (a count, then each element as a string),
 * 10 (one ziplist), 14 (QUICKLIST: a count of ziplists) and 18 (QUICKLIST_2: container 1 is a plain
 * node of one element, 2 a listpack). A listpack node stored LZF-compressed is kept so, sealed, until
 * the list first reaches into it ({@link SealedListpack}), and written back so while it is.
 */
final class RdbList implements RdbType {

    @Override
    public boolean writes(Object value) {
        return value instanceof PackedList;
    }

    @Override
    public ValueWriter writer(Object value) {
        return new Writer((PackedList) value);
    }

    /**
     * Lists of up to this many chunks are encoded on the spot; longer ones are handed over as a copy.
     * Copying costs a chunk object per node and makes the live list copy a chunk before it next writes
     * into it, more than encoding a few nodes.
     */
    static final int ENCODED_IN_PLACE_CHUNKS = 4;

    /**
     * Writes the whole list in one call. A short list is encoded node by node at once; a longer one is
     * handed over as a {@link PackedList#copy()} (chunk objects sharing the live list's arrays, which
     * the live list copies before writing into them), whose nodes the {@link SegmentEncoder} encodes
     * on the snapshot's writer thread: the executor neither builds the listpacks nor keeps the list
     * across slices.
     */
    private static final class Writer implements ValueWriter {
        private final PackedList list;

        Writer(PackedList list) {
            this.list = list;
        }

        @Override
        public int type() {
            return RdbFormat.TYPE_LIST_QUICKLIST_2;
        }

        @Override
        public boolean writeSome(RdbOutput out, long budget) {
            out.writeLength(list.chunkCount());
            if (list.chunkCount() > ENCODED_IN_PLACE_CHUNKS) {
                out.writeNodesOf(list.copy());
                return true;
            }
            Listpack.Builder listpack = new Listpack.Builder();
            PackedList.ChunkCursor cursor = list.chunkCursor(0);
            while (cursor.visitNext(listpack::add)) {
                out.writeLength(RdbFormat.QUICKLIST_NODE_PACKED);
                listpack.writeTo(out);
            }
            return true;
        }

        @Override
        public void detach() {
            // Nothing is left to write from the live list once writeSome returned.
        }
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_LIST, RdbFormat.TYPE_LIST_ZIPLIST, RdbFormat.TYPE_LIST_QUICKLIST,
                RdbFormat.TYPE_LIST_QUICKLIST_2};
    }

    @Override
    public Object read(int type, RdbInput in, Config config) throws IOException {
        PackedList list = new PackedList();
        switch (type) {
            case RdbFormat.TYPE_LIST -> {
                long count = in.readLength();
                for (long i = 0; i < count; i++) {
                    list.push(PackedList.End.TAIL, in.readString());
                }
            }
            case RdbFormat.TYPE_LIST_ZIPLIST -> readZiplist(in, list);
            case RdbFormat.TYPE_LIST_QUICKLIST -> {
                long nodes = in.readLength();
                for (long i = 0; i < nodes; i++) {
                    readZiplist(in, list);
                }
            }
            default -> {
                long nodes = in.readLength();
                for (long i = 0; i < nodes; i++) {
                    long container = in.readLength();
                    if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                        byte[] element = in.readString();
                        if (element.length == 0) {
                            // Redis writes a plain node only for an element too big for a packed one.
                            throw in.corrupt("Quicklist integrity check failed: an empty plain node");
                        }
                        list.push(PackedList.End.TAIL, element);
                    } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
                        long at = in.offset();
                        RdbInput.LzfString packed = in.readLzfString();
                        SealedListpack sealed = packed == null ? null : SealedListpack.of(packed);
                        if (sealed != null) {
                            list.appendSealed(sealed);
                            in.deferUnlessChecksummed(() -> sealed.check(in, at));
                            continue;
                        }
                        byte[] listpack = packed == null ? in.readString() : in.decompress(packed, at);
                        try {
                            Listpack.appendTo(list, listpack);
                        } catch (IllegalArgumentException e) {
                            throw in.corrupt("Listpack integrity check failed: " + e.getMessage());
                        }
                    } else {
                        throw in.corrupt("Quicklist integrity check failed: unknown node container " + container);
                    }
                }
            }
        }
        return list.isEmpty() ? null : list;
    }

    private static void readZiplist(RdbInput in, PackedList list) throws IOException {
        byte[] ziplist = in.readString();
        try {
            Ziplist.forEach(ziplist, element -> list.push(PackedList.End.TAIL, element));
        } catch (IllegalArgumentException e) {
            throw in.corrupt("Ziplist integrity check failed: " + e.getMessage());
        }
    }
}
