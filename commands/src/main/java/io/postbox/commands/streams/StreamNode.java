package io.postbox.commands.streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One block of consecutive stream entries packed in a byte array, keyed in its stream by its master ID
 * (the ID of the first entry ever added to it), as Redis's listpack nodes.
 *
 * <p>Layout of each entry, in ID order:
 * <pre>
 *   flags        1 byte: DELETED, SAME_FIELDS
 *   ms delta     varint, ms - master.ms (entries of a node never go back in time)
 *   seq          varint, the sequence itself (usually 0 or small)
 *   [nfields     varint, only without SAME_FIELDS
 *    fields      varint length + bytes each, only without SAME_FIELDS]
 *   values       varint length + bytes each
 * </pre>
 * An entry whose field names are the node's master fields (those of its first entry) stores only its
 * values: a stream of millions of same-shaped entries costs its values and a few bytes each. Deleted
 * entries stay, flagged, until the whole node is dropped (when its last live entry goes).
 *
 * <p>Not thread-safe; executor thread only.
 */
final class StreamNode {

    static final int DELETED = 1;
    static final int SAME_FIELDS = 2;

    final StreamId master;
    private final byte[][] masterFields;
    private byte[] data;
    private int size;
    /** Entries not deleted. */
    int live;
    /** Entries, deleted ones included. */
    int total;
    /** The size Redis's listpack for this node would have: the node-size limit is checked against it. */
    private long listpackBytes;

    StreamNode(StreamId master, byte[][] fieldsValues) {
        this.master = master;
        int fields = fieldsValues.length / 2;
        masterFields = new byte[fields][];
        for (int i = 0; i < fields; i++) {
            masterFields[i] = fieldsValues[2 * i];
        }
        data = new byte[64];
        // Header and end byte, then the master entry: count, deleted, field count, fields, terminator.
        listpackBytes = 7 + 3 * ListpackSize.integer(1) + ListpackSize.integer(fields);
        for (byte[] field : masterFields) {
            listpackBytes += ListpackSize.element(field);
        }
    }

    private StreamNode(StreamNode other) {
        master = other.master;
        masterFields = other.masterFields;
        data = Arrays.copyOf(other.data, other.size);
        size = other.size;
        listpackBytes = other.listpackBytes;
        live = other.live;
        total = other.total;
    }

    StreamNode copy() {
        return new StreamNode(this);
    }

    /** What Redis's listpack for this node would take: the node-size limit is checked against it. */
    long bytes() {
        return listpackBytes;
    }

    byte[][] masterFields() {
        return masterFields;
    }

    void append(StreamId id, byte[][] fieldsValues) {
        boolean same = sameFields(fieldsValues);
        int need = 1 + 10 + 10 + 5 + 5 * fieldsValues.length;
        for (byte[] part : fieldsValues) {
            need += part.length;
        }
        ensure(need);
        data[size++] = (byte) (same ? SAME_FIELDS : 0);
        writeVarint(id.ms() - master.ms());
        writeVarint(id.seq());
        int fields = fieldsValues.length / 2;
        if (!same) {
            writeVarint(fields);
            for (int i = 0; i < fields; i++) {
                writeBytes(fieldsValues[2 * i]);
            }
        }
        for (int i = 0; i < fields; i++) {
            writeBytes(fieldsValues[2 * i + 1]);
        }
        live++;
        total++;
        listpackBytes += ListpackSize.integer(same ? SAME_FIELDS : 0) + ListpackSize.integer(id.ms() - master.ms())
                + ListpackSize.integer(id.seq() - master.seq());
        if (!same) {
            listpackBytes += ListpackSize.integer(fields);
        }
        for (int i = 0; i < fieldsValues.length; i++) {
            if (!same || i % 2 == 1) {
                listpackBytes += ListpackSize.element(fieldsValues[i]);
            }
        }
        listpackBytes += ListpackSize.integer(same ? fields + 3 : 2L * fields + 4);
    }

    /** Releases the spare capacity: called when the stream starts a new node after this one. */
    void shrink() {
        if (data.length != size) {
            data = Arrays.copyOf(data, size);
        }
    }

    long heapBytes() {
        long bytes = 16L + data.length + 48;
        for (byte[] field : masterFields) {
            bytes += 16 + field.length;
        }
        return bytes;
    }

    private boolean sameFields(byte[][] fieldsValues) {
        if (fieldsValues.length != masterFields.length * 2) {
            return false;
        }
        for (int i = 0; i < masterFields.length; i++) {
            if (!Arrays.equals(masterFields[i], fieldsValues[2 * i])) {
                return false;
            }
        }
        return true;
    }

    private void ensure(int extra) {
        if (size + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(size + extra, data.length * 2));
        }
    }

    private void writeVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            data[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        data[size++] = (byte) value;
    }

    private void writeBytes(byte[] bytes) {
        writeVarint(bytes.length);
        System.arraycopy(bytes, 0, data, size, bytes.length);
        size += bytes.length;
    }

    /** Every entry of the node, deleted ones included, with its flags: what a snapshot writes. */
    List<StreamValue.RawEntry> rawEntries() {
        List<StreamValue.RawEntry> entries = new ArrayList<>(total);
        Cursor cursor = cursor();
        while (cursor.hasNext()) {
            cursor.next();
            entries.add(new StreamValue.RawEntry(cursor.id, cursor.flags, cursor.fieldsValues()));
        }
        return entries;
    }

    /** A position in the node's entries; {@link #next} reads one entry and moves past it. */
    Cursor cursor() {
        return new Cursor();
    }

    final class Cursor {
        private int position;
        /** The entry last read: where it starts, its flags and its ID. */
        int start;
        int flags;
        StreamId id;
        private int bodyStart;

        boolean hasNext() {
            return position < size;
        }

        /** Reads the next entry's header and skips its body. */
        void next() {
            start = position;
            flags = data[position++];
            long ms = master.ms() + readVarint();
            long seq = readVarint();
            id = new StreamId(ms, seq);
            bodyStart = position;
            int fields;
            if ((flags & SAME_FIELDS) != 0) {
                fields = masterFields.length;
            } else {
                fields = (int) readVarint();
                for (int i = 0; i < fields; i++) {
                    skipBytes();
                }
            }
            for (int i = 0; i < fields; i++) {
                skipBytes();
            }
        }

        boolean deleted() {
            return (flags & DELETED) != 0;
        }

        /** Flags the entry last read as deleted. */
        void delete() {
            data[start] |= DELETED;
            flags |= DELETED;
            live--;
        }

        /** The fields and values of the entry last read, interleaved. */
        byte[][] fieldsValues() {
            int saved = position;
            position = bodyStart;
            byte[][] result;
            if ((flags & SAME_FIELDS) != 0) {
                result = new byte[masterFields.length * 2][];
                for (int i = 0; i < masterFields.length; i++) {
                    result[2 * i] = masterFields[i];
                    result[2 * i + 1] = readBytes();
                }
            } else {
                int fields = (int) readVarint();
                result = new byte[fields * 2][];
                for (int i = 0; i < fields; i++) {
                    result[2 * i] = readBytes();
                }
                for (int i = 0; i < fields; i++) {
                    result[2 * i + 1] = readBytes();
                }
            }
            position = saved;
            return result;
        }

        /** Moves to the entry that starts at {@code offset} and reads it. */
        void seek(int offset) {
            position = offset;
            next();
        }

        private long readVarint() {
            long value = 0;
            int shift = 0;
            byte b;
            do {
                b = data[position++];
                value |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return value;
        }

        private void skipBytes() {
            int length = (int) readVarint();
            position += length;
        }

        private byte[] readBytes() {
            int length = (int) readVarint();
            byte[] bytes = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return bytes;
        }
    }
}
