package io.postbox.commands.streams;

/**
 * How far a consumer group has read, as Redis 7.0 keeps track of it: a group counts the entries it
 * reads while no deleted entry lies ahead of it; otherwise the count is estimated from the stream's
 * counters where that is possible, and unknown (-1) where it is not.
 */
final class StreamLag {

    private StreamLag() {
    }

    /** The number of entries added up to and including {@code id}, or -1 when it cannot be known. */
    static long estimateReads(StreamValue stream, StreamId id) {
        if (stream.entriesAdded == 0) {
            return 0;
        }
        if (stream.length == 0 && id.compareTo(stream.lastId) < 1) {
            return stream.entriesAdded;
        }
        int toLast = id.compareTo(stream.lastId);
        if (toLast == 0) {
            return stream.entriesAdded;
        }
        if (toLast > 0) {
            return StreamGroup.UNKNOWN_READS;
        }
        int toFirst = id.compareTo(stream.firstId);
        if (stream.maxDeletedId.isZero() || stream.maxDeletedId.compareTo(stream.firstId) < 0) {
            if (toFirst < 0) {
                return stream.entriesAdded - stream.length;
            }
            if (toFirst == 0) {
                return stream.entriesAdded - stream.length + 1;
            }
        }
        return StreamGroup.UNKNOWN_READS;
    }

    /** Whether a deleted entry may lie between {@code start} and {@code end} (null: the ends of the stream). */
    static boolean hasTombstones(StreamValue stream, StreamId start, StreamId end) {
        if (stream.length == 0 || stream.maxDeletedId.isZero()) {
            return false;
        }
        if (stream.firstId.compareTo(stream.maxDeletedId) > 0) {
            return false;
        }
        StreamId from = start == null ? StreamId.MIN : start;
        StreamId to = end == null ? StreamId.MAX : end;
        return from.compareTo(stream.maxDeletedId) <= 0 && stream.maxDeletedId.compareTo(to) <= 0;
    }

    /** The group's lag: entries added that it has not read; null when it cannot be known. */
    static Long lag(StreamValue stream, StreamGroup group) {
        if (stream.entriesAdded == 0) {
            return 0L;
        }
        if (group.entriesRead != StreamGroup.UNKNOWN_READS && !hasTombstones(stream, group.lastId, null)) {
            return stream.entriesAdded - group.entriesRead;
        }
        long reads = estimateReads(stream, group.lastId);
        return reads == StreamGroup.UNKNOWN_READS ? null : stream.entriesAdded - reads;
    }
}
