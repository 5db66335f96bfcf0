package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.streams.PendingEntry;
import io.postbox.commands.streams.StreamConsumer;
import io.postbox.commands.streams.StreamGroup;
import io.postbox.commands.streams.StreamId;
import io.postbox.commands.streams.StreamValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams, written as Redis 7.0 writes them: type 19 (STREAM_LISTPACKS_2). Layout:
 * <pre>
 *   nodes        length, then per node: its master ID as a 16-byte string (ms, seq big-endian) and
 *                its listpack: count, deleted, field count, fields, 0 (the master entry), then per
 *                entry flags, ms delta, seq delta, [field count, field, value ...] or [value ...]
 *                when the entry has the master's fields (flag 2), and the entry's element count
 *   stream       length, last ID (ms, seq), first ID, max deleted ID, entries added (all lengths)
 *   groups       length, then per group: name, last ID (ms, seq), entries read (a length; -1 is
 *                2^64-1), its pending list (count; per entry the raw 16-byte ID, delivery time as
 *                8-byte little-endian milliseconds, delivery count), and its consumers (count; per
 *                consumer name, seen time in milliseconds, pending IDs as raw 16-byte IDs)
 * </pre>
 * Type 15 (STREAM_LISTPACKS, Redis 5 and 6) is read too: it lacks the first ID, max deleted ID,
 * entries added and entries read, which are derived on load as Redis does.
 */
final class RdbStream implements RdbType {

    private static final int DELETED = 1;
    private static final int SAME_FIELDS = 2;

    @Override
    public boolean writes(Object value) {
        return value instanceof StreamValue;
    }

    /**
     * Writes the nodes a slice at a time from the live value; if the value is about to change first,
     * it carries on from a copy, from the node after the last one written.
     */
    @Override
    public ValueWriter writer(Object value) {
        return new ValueWriter() {
            private StreamValue stream = (StreamValue) value;
            private final Listpack.Builder listpack = new Listpack.Builder();
            private boolean started;
            private StreamId lastWritten;

            @Override
            public int type() {
                return RdbFormat.TYPE_STREAM_LISTPACKS_2;
            }

            @Override
            public boolean writeSome(RdbOutput out, long budget) {
                long start = out.pendingBytes();
                if (!started) {
                    out.writeLength(stream.nodeCount());
                    started = true;
                }
                StreamValue.RawNode node;
                while ((node = stream.nodeAfter(lastWritten)) != null) {
                    if (out.pendingBytes() - start >= budget) {
                        return false;
                    }
                    out.writeString(rawId(node.master()));
                    out.writeString(listpack(listpack, node));
                    lastWritten = node.master();
                }
                writeTail(stream, out);
                return true;
            }

            @Override
            public void detach() {
                stream = (StreamValue) stream.copy();
            }
        };
    }

    /** What follows the nodes: the stream's counters, then its groups with their pending entries and consumers. */
    private static void writeTail(StreamValue stream, RdbOutput out) {
        out.writeLength(stream.length);
        writeUnsigned(out, stream.lastId.ms());
        writeUnsigned(out, stream.lastId.seq());
        writeUnsigned(out, stream.firstId.ms());
        writeUnsigned(out, stream.firstId.seq());
        writeUnsigned(out, stream.maxDeletedId.ms());
        writeUnsigned(out, stream.maxDeletedId.seq());
        writeUnsigned(out, stream.entriesAdded);
        out.writeLength(stream.groups.size());
        for (StreamGroup group : stream.groups.values()) {
            out.writeString(group.name.getBytes(StandardCharsets.ISO_8859_1));
            writeUnsigned(out, group.lastId.ms());
            writeUnsigned(out, group.lastId.seq());
            writeUnsigned(out, group.entriesRead);
            out.writeLength(group.pending.size());
            for (Map.Entry<StreamId, PendingEntry> e : group.pending.entrySet()) {
                out.writeRaw(rawId(e.getKey()));
                out.writeMillis(e.getValue().deliveryTime);
                writeUnsigned(out, e.getValue().deliveryCount);
            }
            out.writeLength(group.consumers.size());
            for (StreamConsumer consumer : group.consumers.values()) {
                out.writeString(consumer.name.getBytes(StandardCharsets.ISO_8859_1));
                out.writeMillis(consumer.seenTime);
                out.writeLength(consumer.pending.size());
                for (StreamId id : consumer.pending.keySet()) {
                    out.writeRaw(rawId(id));
                }
            }
        }
    }

    private static byte[] listpack(Listpack.Builder listpack, StreamValue.RawNode node) {
        StreamId master = node.master();
        listpack.add(number(node.live())).add(number(node.deleted())).add(number(node.masterFields().length));
        for (byte[] field : node.masterFields()) {
            listpack.add(field);
        }
        listpack.add(number(0));
        for (StreamValue.RawEntry entry : node.entries()) {
            byte[][] fieldsValues = entry.fieldsValues();
            int fields = fieldsValues.length / 2;
            boolean same = (entry.flags() & SAME_FIELDS) != 0;
            listpack.add(number(entry.flags()));
            listpack.add(number(entry.id().ms() - master.ms()));
            listpack.add(number(entry.id().seq() - master.seq()));
            if (!same) {
                listpack.add(number(fields));
            }
            for (int i = 0; i < fields; i++) {
                if (!same) {
                    listpack.add(fieldsValues[2 * i]);
                }
                listpack.add(fieldsValues[2 * i + 1]);
            }
            listpack.add(number(same ? fields + 3 : 2L * fields + 4));
        }
        return listpack.build();
    }

    /** A 64-bit unsigned number as an RDB length: values past 2^63 (negative longs) take the 64-bit form. */
    private static void writeUnsigned(RdbOutput out, long value) {
        if (value >= 0) {
            out.writeLength(value);
            return;
        }
        out.writeByte(RdbFormat.LENGTH_64BIT);
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (56 - 8 * i));
        }
        out.writeRaw(bytes);
    }

    private static byte[] rawId(StreamId id) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (id.ms() >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return bytes;
    }

    private static StreamId idOf(byte[] raw, RdbInput in) throws RdbFormatException {
        if (raw.length != 16) {
            throw in.corrupt("Stream node key entry is not the size of a stream ID");
        }
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = ms << 8 | (raw[i] & 0xFF);
            seq = seq << 8 | (raw[8 + i] & 0xFF);
        }
        return new StreamId(ms, seq);
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_STREAM_LISTPACKS, RdbFormat.TYPE_STREAM_LISTPACKS_2};
    }

    @Override
    public Object read(int type, RdbInput in, Config config) throws IOException {
        boolean v2 = type == RdbFormat.TYPE_STREAM_LISTPACKS_2;
        long maxBytes = config.getLong("stream-node-max-bytes");
        long maxEntries = config.getLong("stream-node-max-entries");
        StreamValue stream = new StreamValue();
        long nodes = in.readLength();
        for (long n = 0; n < nodes; n++) {
            StreamId master = idOf(in.readString(), in);
            List<byte[]> elements = new ArrayList<>();
            try {
                Listpack.forEach(in.readString(), elements::add);
                readNode(master, elements, stream, maxBytes, maxEntries);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw in.corrupt("Stream listpack integrity check failed: " + e.getMessage());
            }
        }
        long length = in.readLength();
        if (length != stream.length) {
            throw in.corrupt("Stream length " + length + " does not match its entries (" + stream.length + ")");
        }
        stream.lastId = new StreamId(in.readLength(), in.readLength());
        if (v2) {
            stream.firstId = new StreamId(in.readLength(), in.readLength());
            stream.maxDeletedId = new StreamId(in.readLength(), in.readLength());
            stream.entriesAdded = in.readLength();
        } else {
            stream.entriesAdded = stream.length;
        }
        long groups = in.readLength();
        for (long g = 0; g < groups; g++) {
            String name = new String(in.readString(), StandardCharsets.ISO_8859_1);
            StreamId lastId = new StreamId(in.readLength(), in.readLength());
            // Files before Redis 7.0 have no count: Redis estimates it from the stream, as here.
            long entriesRead = v2 ? in.readLength() : stream.entriesAddedUpTo(lastId);
            StreamGroup group = new StreamGroup(name, lastId, entriesRead);
            if (stream.groups.put(name, group) != null) {
                throw in.corrupt("Duplicated consumer group name " + name);
            }
            long pending = in.readLength();
            for (long p = 0; p < pending; p++) {
                StreamId id = idOf(raw16(in), in);
                long deliveryTime = in.readLittleEndian(8);
                long deliveryCount = in.readLength();
                group.pending.put(id, new PendingEntry(null, deliveryTime, deliveryCount));
            }
            long consumers = in.readLength();
            for (long c = 0; c < consumers; c++) {
                String consumerName = new String(in.readString(), StandardCharsets.ISO_8859_1);
                if (group.consumers.containsKey(consumerName)) {
                    throw in.corrupt("Duplicate stream consumer detected");
                }
                StreamConsumer consumer = group.addConsumer(consumerName, in.readLittleEndian(8));
                long owned = in.readLength();
                for (long p = 0; p < owned; p++) {
                    StreamId id = idOf(raw16(in), in);
                    PendingEntry entry = group.pending.get(id);
                    if (entry == null) {
                        throw in.corrupt("Consumer entry not found in group global PEL");
                    }
                    entry.consumer = consumer;
                    consumer.pending.put(id, entry);
                }
            }
            for (PendingEntry entry : group.pending.values()) {
                if (entry.consumer == null) {
                    throw in.corrupt("Stream CG PEL entry without consumer");
                }
            }
        }
        return stream;
    }

    private static byte[] raw16(RdbInput in) throws IOException {
        byte[] raw = new byte[16];
        in.readFully(raw, 0, 16);
        return raw;
    }

    /** Appends the live entries of one node; the stream's counters are set from the file afterwards. */
    private static void readNode(StreamId master, List<byte[]> elements, StreamValue stream, long maxBytes,
                                 long maxEntries) {
        int at = 0;
        long live = integer(elements.get(at++));
        long deleted = integer(elements.get(at++));
        int masterCount = (int) integer(elements.get(at++));
        byte[][] masterFields = new byte[masterCount][];
        for (int i = 0; i < masterCount; i++) {
            masterFields[i] = elements.get(at++);
        }
        if (integer(elements.get(at++)) != 0) {
            throw new IllegalArgumentException("bad master entry terminator");
        }
        long seenLive = 0;
        long seenDeleted = 0;
        while (at < elements.size()) {
            int entryStart = at;
            int flags = (int) integer(elements.get(at++));
            StreamId id = new StreamId(master.ms() + integer(elements.get(at++)),
                    master.seq() + integer(elements.get(at++)));
            byte[][] fieldsValues;
            if ((flags & SAME_FIELDS) != 0) {
                fieldsValues = new byte[masterCount * 2][];
                for (int i = 0; i < masterCount; i++) {
                    fieldsValues[2 * i] = masterFields[i];
                    fieldsValues[2 * i + 1] = elements.get(at++);
                }
            } else {
                int fields = (int) integer(elements.get(at++));
                fieldsValues = new byte[fields * 2][];
                for (int i = 0; i < fields * 2; i++) {
                    fieldsValues[i] = elements.get(at++);
                }
            }
            // The entry's element count, which lets Redis walk a node backwards.
            if (integer(elements.get(at)) != at - entryStart) {
                throw new IllegalArgumentException("an entry's element count is wrong");
            }
            at++;
            if ((flags & DELETED) != 0) {
                seenDeleted++;
                continue;
            }
            seenLive++;
            if (stream.length > 0 && id.compareTo(stream.lastId) <= 0) {
                throw new IllegalArgumentException("entry IDs out of order");
            }
            stream.append(id, fieldsValues, maxBytes, maxEntries);
        }
        if (seenLive != live || seenDeleted != deleted) {
            throw new IllegalArgumentException("entry counts do not match the master entry");
        }
        if (live + deleted == 0) {
            throw new IllegalArgumentException("Empty listpack inside stream");
        }
    }

    private static long integer(byte[] text) {
        return Long.parseLong(new String(text, StandardCharsets.ISO_8859_1));
    }
}
