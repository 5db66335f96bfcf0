package io.postbox.commands.streams;

import io.postbox.commands.Numbers;
import java.nio.charset.StandardCharsets;

/**
 * The commands the append-only file records for group changes whose arguments do not say what they did
 * (XREADGROUP, XCLAIM, XAUTOCLAIM), as Redis propagates them: each delivery as an XCLAIM that forces the
 * pending entry's exact state, and the group's position as XGROUP SETID with ENTRIESREAD.
 */
final class StreamPropagation {

    private StreamPropagation() {
    }

    /** XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID group-last-id. */
    static byte[][] claim(byte[] key, StreamGroup group, StreamId id, PendingEntry entry) {
        return new byte[][] {bytes("XCLAIM"), key, bytes(group.name), bytes(entry.consumer.name), bytes("0"),
                id.toBytes(), bytes("TIME"), Numbers.toBytes(entry.deliveryTime), bytes("RETRYCOUNT"),
                Numbers.toBytes(entry.deliveryCount), bytes("FORCE"), bytes("JUSTID"), bytes("LASTID"),
                group.lastId.toBytes()};
    }

    /** XGROUP SETID key group last-id ENTRIESREAD n. */
    static byte[][] groupPosition(byte[] key, StreamGroup group) {
        return new byte[][] {bytes("XGROUP"), bytes("SETID"), key, bytes(group.name), group.lastId.toBytes(),
                bytes("ENTRIESREAD"), Numbers.toBytes(group.entriesRead)};
    }

    /** XGROUP CREATECONSUMER key group consumer. */
    static byte[][] consumerCreated(byte[] key, StreamGroup group, StreamConsumer consumer) {
        return new byte[][] {bytes("XGROUP"), bytes("CREATECONSUMER"), key, bytes(group.name),
                bytes(consumer.name)};
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
