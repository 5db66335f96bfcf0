package io.postbox.commands.streams;

import io.postbox.resp.Reply;
import java.util.List;

/** How stream entries are written on the wire: each an array of its ID and its fields and values. */
final class StreamReplies {

    private StreamReplies() {
    }

    static void entries(Reply reply, List<StreamEntry> entries) {
        reply.array(entries.size());
        for (StreamEntry entry : entries) {
            entry(reply, entry);
        }
    }

    static void entry(Reply reply, StreamEntry entry) {
        reply.array(2);
        reply.bulk(entry.id().toBytes());
        byte[][] fieldsValues = entry.fieldsValues();
        reply.array(fieldsValues.length);
        for (byte[] part : fieldsValues) {
            reply.bulk(part);
        }
    }

    static void id(Reply reply, StreamId id) {
        reply.bulk(id.toBytes());
    }
}
