package io.postbox.commands.streams;

import java.util.TreeMap;

/** A consumer of a group: its name, when it was last seen, and the entries pending with it, by ID. */
public final class StreamConsumer {

    /** The name, one char per byte (ISO-8859-1), so it sorts as Redis's rax does. */
    public final String name;
    public long seenTime;
    public final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();

    public StreamConsumer(String name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }
}
