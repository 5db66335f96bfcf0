package io.postbox.commands.streams;

import io.postbox.commands.keyspace.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One XREADGROUP read of one stream by one consumer: new entries ({@code >}), which advance the group
 * and become pending with the consumer unless NOACK, or the consumer's own pending history from an ID,
 * each delivered again. Shared by the immediate reply and the wake-up of a blocked reader. What it
 * changes is handed to {@code log} as the commands the append-only file records.
 */
final class GroupRead {

    private GroupRead() {
    }

    /** The consumer named {@code name}, seen now, created and logged if missing. */
    static StreamConsumer consumer(Database db, long now, byte[] key, StreamGroup group, String name,
                                   Consumer<byte[][]> log) {
        StreamConsumer consumer = group.consumer(name);
        if (consumer == null) {
            consumer = GroupCommands.addConsumer(db, now, group, name, key);
            log.accept(StreamPropagation.consumerCreated(key, group, consumer));
        } else {
            consumer.seenTime = now;
        }
        return consumer;
    }

    /** Delivers entries after {@code after} (the group's last ID), at most {@code count} (0: all). */
    static List<StreamEntry> newEntries(long now, byte[] key, StreamValue stream, StreamGroup group,
                                        StreamConsumer consumer, StreamId after, long count, boolean noAck,
                                        Consumer<byte[][]> log) {
        StreamId start = after.next();
        if (start == null) {
            return List.of();
        }
        List<StreamEntry> entries = stream.range(start, StreamId.MAX, count, false);
        boolean advanced = false;
        for (StreamEntry entry : entries) {
            StreamId id = entry.id();
            if (id.compareTo(group.lastId) > 0) {
                if (group.entriesRead != StreamGroup.UNKNOWN_READS && !StreamLag.hasTombstones(stream, id, null)) {
                    group.entriesRead++;
                } else if (stream.entriesAdded != 0) {
                    group.entriesRead = StreamLag.estimateReads(stream, id);
                }
                group.lastId = id;
                advanced = true;
            }
            if (!noAck) {
                PendingEntry pending = group.pending.get(id);
                if (pending == null) {
                    pending = new PendingEntry(consumer, now, 1);
                    group.pending.put(id, pending);
                    consumer.pending.put(id, pending);
                } else {
                    pending.deliveryTime = now;
                    pending.deliveryCount = 1;
                    group.assign(id, pending, consumer);
                }
                log.accept(StreamPropagation.claim(key, group, id, pending));
            }
        }
        if (advanced) {
            log.accept(StreamPropagation.groupPosition(key, group));
        }
        return entries;
    }

    /**
     * The consumer's pending entries from {@code start}, at most {@code count} (0: all); an entry deleted
     * from the stream since is listed with no fields (null in the reply). Each existing one is delivered
     * again: its time and count change.
     */
    static List<StreamEntry> history(long now, byte[] key, StreamValue stream, StreamGroup group,
                                     StreamConsumer consumer, StreamId start, long count, Consumer<byte[][]> log) {
        List<StreamEntry> entries = new ArrayList<>();
        for (Map.Entry<StreamId, PendingEntry> e : consumer.pending.tailMap(start, true).entrySet()) {
            if (count != 0 && entries.size() >= count) {
                break;
            }
            StreamEntry entry = stream.get(e.getKey());
            if (entry == null) {
                entries.add(new StreamEntry(e.getKey(), null));
                continue;
            }
            PendingEntry pending = e.getValue();
            pending.deliveryTime = now;
            pending.deliveryCount++;
            log.accept(StreamPropagation.claim(key, group, e.getKey(), pending));
            entries.add(entry);
        }
        return entries;
    }
}
