package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.lists.PackedList;
import java.io.IOException;

/**
 * Lists. Written as Redis 7.0 writes them, type 18 (QUICKLIST_2): the node count, then per node its
 * container ({@code 2}, packed) and a listpack of its elements as one RDB string. Each chunk of a
 * {@link PackedList} becomes one node, so a node holds about 8 KB as Redis's do.
 *
 * <p>Read from every list encoding Redis has written: 1 (a count, then each element as a string),
 * 10 (one ziplist), 14 (QUICKLIST: a count of ziplists) and 18 (QUICKLIST_2: container 1 is a plain
 * node of one element, 2 a listpack).
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

    /** Writes node by node; on detach, goes on from the same node of a copy of the list. */
    private static final class Writer implements ValueWriter {
        private final Listpack.Builder listpack = new Listpack.Builder();
        private PackedList list;
        private PackedList.ChunkCursor cursor;
        private int written = -1;

        Writer(PackedList list) {
            this.list = list;
        }

        @Override
        public int type() {
            return RdbFormat.TYPE_LIST_QUICKLIST_2;
        }

        @Override
        public boolean writeSome(RdbOutput out, long budget) {
            long start = out.pendingBytes();
            if (written < 0) {
                out.writeLength(list.chunkCount());
                cursor = list.chunkCursor(0);
                written = 0;
            }
            while (cursor.visitNext(listpack::add)) {
                out.writeLength(RdbFormat.QUICKLIST_NODE_PACKED);
                listpack.writeTo(out);
                written++;
                if (out.pendingBytes() - start >= budget) {
                    return written == list.chunkCount();
                }
            }
            return true;
        }

        @Override
        public void detach() {
            list = list.copy();
            if (written >= 0) {
                cursor = list.chunkCursor(written);
            }
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
                        list.push(PackedList.End.TAIL, in.readString());
                    } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
                        int length = in.readScratchString();
                        try {
                            Listpack.forEachSlice(in.scratch(), length, list::pushTail);
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
