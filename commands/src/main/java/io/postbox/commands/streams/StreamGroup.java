package io.postbox.commands.streams;

import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group: the last ID delivered to it, how many entries it has read (-1 when unknown), its
 * pending entries by ID (each also in its owner's list), and its consumers by name.
 */
public final class StreamGroup {

    /** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is not known. */
    public static final long UNKNOWN_READS = -1;

    public final String name;
    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();
    public final TreeMap<String, StreamConsumer> consumers = new TreeMap<>();

    public StreamGroup(String name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    /** The consumer named {@code name}, or null. */
    public StreamConsumer consumer(String name) {
        return consumers.get(name);
    }

    public StreamConsumer addConsumer(String name, long now) {
        StreamConsumer consumer = new StreamConsumer(name, now);
        consumers.put(name, consumer);
        return consumer;
    }

    /** Removes a consumer and its pending entries from the group; returns how many were pending. */
    public int removeConsumer(StreamConsumer consumer) {
        int pendingCount = consumer.pending.size();
        for (StreamId id : consumer.pending.keySet()) {
            pending.remove(id);
        }
        consumers.remove(consumer.name);
        return pendingCount;
    }

    /** Drops the pending entry {@code id} from the group and its owner; false if it was not pending. */
    public boolean acknowledge(StreamId id) {
        PendingEntry entry = pending.remove(id);
        if (entry == null) {
            return false;
        }
        entry.consumer.pending.remove(id);
        return true;
    }

    /** Hands the pending entry {@code id} to {@code consumer}, moving it out of its previous owner's list. */
    public void assign(StreamId id, PendingEntry entry, StreamConsumer consumer) {
        if (entry.consumer != consumer) {
            if (entry.consumer != null) {
                entry.consumer.pending.remove(id);
            }
            consumer.pending.put(id, entry);
            entry.consumer = consumer;
        }
    }

    StreamGroup copy() {
        StreamGroup copy = new StreamGroup(name, lastId, entriesRead);
        for (StreamConsumer consumer : consumers.values()) {
            StreamConsumer twin = copy.addConsumer(consumer.name, consumer.seenTime);
            for (Map.Entry<StreamId, PendingEntry> e : consumer.pending.entrySet()) {
                PendingEntry pendingEntry = new PendingEntry(twin, e.getValue().deliveryTime, e.getValue().deliveryCount);
                twin.pending.put(e.getKey(), pendingEntry);
                copy.pending.put(e.getKey(), pendingEntry);
            }
        }
        return copy;
    }
}
