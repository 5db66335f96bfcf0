package io.postbox.commands.streams;

/**
 * An entry delivered to a consumer of a group and not yet acknowledged (Redis's NACK): in the group's
 * pending list and in its owner's, under the same ID.
 */
public final class PendingEntry {

    /** Unix milliseconds of the last delivery. */
    public long deliveryTime;
    public long deliveryCount;
    /** Null only for a moment, while XCLAIM FORCE creates the entry. */
    public StreamConsumer consumer;

    public PendingEntry(StreamConsumer consumer, long deliveryTime, long deliveryCount) {
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }
}
