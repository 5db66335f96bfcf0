package io.postbox.commands.streams;

import io.postbox.commands.keyspace.TypedValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream: entries in packed {@link StreamNode}s keyed by their master IDs in a sorted map, the
 * counters Redis keeps (length, last ID, first ID, largest deleted ID, entries ever added), and the
 * consumer groups by name. An empty stream is a valid value and stays in the keyspace.
 *
 * <p>Not thread-safe; executor thread only.
 */
public final class StreamValue implements TypedValue {

    final TreeMap<StreamId, StreamNode> nodes = new TreeMap<>();
    public long length;
    public StreamId lastId = StreamId.MIN;
    public StreamId firstId = StreamId.MIN;
    public StreamId maxDeletedId = StreamId.MIN;
    public long entriesAdded;
    public final TreeMap<String, StreamGroup> groups = new TreeMap<>();
    /** The ID of the last entry not deleted (when the stream has entries): XREAD and XREADGROUP check it. */
    private StreamId lastLive = StreamId.MIN;

    @Override
    public String typeName() {
        return "stream";
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public TypedValue copy() {
        StreamValue copy = new StreamValue();
        for (Map.Entry<StreamId, StreamNode> node : nodes.entrySet()) {
            copy.nodes.put(node.getKey(), node.getValue().copy());
        }
        copy.length = length;
        copy.lastId = lastId;
        copy.firstId = firstId;
        copy.maxDeletedId = maxDeletedId;
        copy.entriesAdded = entriesAdded;
        copy.lastLive = lastLive;
        for (StreamGroup group : groups.values()) {
            copy.groups.put(group.name, group.copy());
        }
        return copy;
    }

    @Override
    public long memoryUsage(long samples) {
        long bytes = 96;
        for (StreamNode node : nodes.values()) {
            bytes += 64 + node.heapBytes();
        }
        for (StreamGroup group : groups.values()) {
            bytes += 128 + 96L * group.pending.size() + 96L * group.consumers.size();
        }
        return bytes;
    }

    public int nodeCount() {
        return nodes.size();
    }

    /**
     * How many entries were added up to and including {@code id}, or -1 where that cannot be known: the
     * entries-read Redis estimates for a consumer group loaded without one (from an RDB before 7.0).
     */
    public long entriesAddedUpTo(StreamId id) {
        return StreamLag.estimateReads(this, id);
    }

    /** One entry as a snapshot sees it: flags {@code 1} deleted, {@code 2} same fields as the node's master. */
    public record RawEntry(StreamId id, int flags, byte[][] fieldsValues) {
    }

    /** What a snapshot writes of one node: its master ID and fields, live entry count, and every entry. */
    public record RawNode(StreamId master, byte[][] masterFields, int live, int deleted, List<RawEntry> entries) {
    }

    /** The first node whose master ID is above {@code after} (null: the first node), or null after the last. */
    public RawNode nodeAfter(StreamId after) {
        Map.Entry<StreamId, StreamNode> entry = after == null ? nodes.firstEntry() : nodes.higherEntry(after);
        if (entry == null) {
            return null;
        }
        StreamNode node = entry.getValue();
        return new RawNode(node.master, node.masterFields(), node.live, node.total - node.live, node.rawEntries());
    }

    /**
     * Appends an entry with {@code id}, which the caller checked is above {@link #lastId}. A new node is
     * started when the last one would reach {@code maxBytes} or holds {@code maxEntries} entries (deleted
     * ones included), 0 meaning no limit.
     */
    public void append(StreamId id, byte[][] fieldsValues, long maxBytes, long maxEntries) {
        Map.Entry<StreamId, StreamNode> last = nodes.lastEntry();
        StreamNode node = last == null ? null : last.getValue();
        if (node != null) {
            long elementBytes = 0;
            for (byte[] part : fieldsValues) {
                elementBytes += part.length;
            }
            long limit = maxBytes == 0 || maxBytes > Integer.MAX_VALUE ? Integer.MAX_VALUE : maxBytes;
            if (node.bytes() + elementBytes >= limit || (maxEntries != 0 && node.total >= maxEntries)) {
                node.shrink();
                node = null;
            }
        }
        if (node == null) {
            node = new StreamNode(id, fieldsValues);
            nodes.put(id, node);
        }
        node.append(id, fieldsValues);
        if (length == 0) {
            firstId = id;
        }
        length++;
        entriesAdded++;
        lastId = id;
        lastLive = id;
    }

    /** Deletes the entry {@code id}; false if there is none. Its node goes with its last live entry. */
    public boolean delete(StreamId id) {
        LiveEntries walk = new LiveEntries(id);
        if (!walk.next() || !walk.cursor.id.equals(id)) {
            return false;
        }
        walk.cursor.delete();
        length--;
        if (walk.node.live == 0) {
            nodes.remove(walk.node.master);
        }
        if (id.equals(lastLive)) {
            lastLive = scanLastLive();
        }
        return true;
    }

    /** The entry {@code id}, or null when there is none (or it was deleted). */
    public StreamEntry get(StreamId id) {
        List<StreamEntry> found = range(id, id, 1, false);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The ID of the last entry not deleted, or 0-0 for an empty stream. */
    public StreamId lastValidId() {
        return length == 0 ? StreamId.MIN : lastLive;
    }

    private StreamId scanLastLive() {
        Map.Entry<StreamId, StreamNode> last = nodes.lastEntry();
        if (last == null) {
            return StreamId.MIN;
        }
        // Every node holds a live entry: the last node's last live one is the stream's.
        StreamNode.Cursor cursor = last.getValue().cursor();
        StreamId found = StreamId.MIN;
        while (cursor.hasNext()) {
            cursor.next();
            if (!cursor.deleted()) {
                found = cursor.id;
            }
        }
        return found;
    }

    private StreamId firstValidId() {
        List<StreamEntry> first = range(StreamId.MIN, StreamId.MAX, 1, false);
        return first.isEmpty() ? StreamId.MIN : first.get(0).id();
    }

    /**
     * The live entries with IDs from {@code start} to {@code end} inclusive, ascending or, when
     * {@code reverse}, descending; at most {@code count} of them, 0 meaning all. Walked as Redis's
     * stream iterator walks (see {@link LiveEntries}); backwards, from the node whose master is the
     * last at or below {@code end} (else the last node), each node's entries from its last, skipping
     * deleted ones and ones above {@code end}, up to the first below {@code start}.
     */
    public List<StreamEntry> range(StreamId start, StreamId end, long count, boolean reverse) {
        List<StreamEntry> result = new ArrayList<>();
        if (start.compareTo(end) > 0 || nodes.isEmpty()) {
            return result;
        }
        if (!reverse) {
            LiveEntries walk = new LiveEntries(start);
            while (walk.next() && walk.cursor.id.compareTo(end) <= 0) {
                result.add(new StreamEntry(walk.cursor.id, walk.cursor.fieldsValues()));
                if (result.size() == count) {
                    break;
                }
            }
            return result;
        }
        StreamId from = nodes.floorKey(end);
        for (StreamNode node : (from == null ? nodes : nodes.headMap(from, true)).descendingMap().values()) {
            StreamNode.Cursor cursor = node.cursor();
            int[] offsets = new int[node.total];
            for (int i = 0; i < offsets.length; i++) {
                cursor.next();
                offsets[i] = cursor.start;
            }
            for (int i = offsets.length - 1; i >= 0; i--) {
                cursor.seek(offsets[i]);
                if (cursor.deleted() || cursor.id.compareTo(end) > 0) {
                    continue;
                }
                if (cursor.id.compareTo(start) < 0) {
                    return result;
                }
                result.add(new StreamEntry(cursor.id, cursor.fieldsValues()));
                if (result.size() == count) {
                    return result;
                }
            }
        }
        return result;
    }

    /**
     * The live entries at or above a start, in the order Redis's stream iterator visits them: from the
     * node whose master is the last at or below the start (else the first node), nodes in master order
     * and each node's entries in the order they were appended, skipping deleted ones and ones below the
     * start. Live entries are appended in ascending order, but after an XSETID back they may follow
     * higher deleted ones in a node or lie below its master; walking as Redis does finds them where
     * Redis finds them.
     */
    private final class LiveEntries {
        private final StreamId start;
        private final Iterator<StreamNode> following;
        StreamNode node;
        StreamNode.Cursor cursor;

        LiveEntries(StreamId start) {
            this.start = start;
            StreamId from = nodes.floorKey(start);
            following = (from == null ? nodes : nodes.tailMap(from, true)).values().iterator();
        }

        /** Moves to the next live entry at or above the start; false after the last. */
        boolean next() {
            while (true) {
                while (cursor == null || !cursor.hasNext()) {
                    if (!following.hasNext()) {
                        return false;
                    }
                    node = following.next();
                    cursor = node.cursor();
                }
                cursor.next();
                if (!cursor.deleted() && cursor.id.compareTo(start) >= 0) {
                    return true;
                }
            }
        }
    }

    /**
     * Trims with Redis's streamTrim rules: whole nodes go from the head while they are entirely beyond
     * the limit; then, unless {@code trim.approx}, entries inside the first remaining node. A nonzero
     * {@code trim.limit} caps the entries removed (whole nodes only). Returns how many were removed.
     */
    public long trim(StreamTrim trim) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (trim.byLength() && length <= trim.maxLength()) {
                break;
            }
            Map.Entry<StreamId, StreamNode> first = nodes.firstEntry();
            StreamNode node = first.getValue();
            long entries = node.live;
            if (trim.limit() != 0 && deleted + entries > trim.limit()) {
                break;
            }
            boolean removeNode = trim.byLength()
                    ? length - entries >= trim.maxLength()
                    : lastIdOf(node).compareTo(trim.minId()) < 0;
            if (removeNode) {
                nodes.remove(first.getKey());
                length -= entries;
                deleted += entries;
                continue;
            }
            if (trim.approx()) {
                break;
            }
            StreamNode.Cursor cursor = node.cursor();
            while (cursor.hasNext()) {
                cursor.next();
                // Deleted entries count for MINID's stop, as in Redis: after an XSETID back on an emptied
                // stream, a node can hold a deleted entry above the threshold before lower live ones.
                if (trim.byLength() ? length <= trim.maxLength() : cursor.id.compareTo(trim.minId()) >= 0) {
                    break;
                }
                if (cursor.deleted()) {
                    continue;
                }
                cursor.delete();
                length--;
                deleted++;
            }
            break;
        }
        firstId = length == 0 ? StreamId.MIN : firstValidId();
        return deleted;
    }

    /** After XDEL: the first ID follows the first live entry. */
    void refreshFirstId() {
        firstId = length == 0 ? StreamId.MIN : firstValidId();
    }

    private static StreamId lastIdOf(StreamNode node) {
        StreamNode.Cursor cursor = node.cursor();
        StreamId last = node.master;
        while (cursor.hasNext()) {
            cursor.next();
            last = cursor.id;
        }
        return last;
    }

    public StreamGroup group(String name) {
        return groups.get(name);
    }
}
