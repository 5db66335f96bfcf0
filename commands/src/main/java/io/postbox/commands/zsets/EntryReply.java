package io.postbox.commands.zsets;

import io.postbox.resp.Reply;

/**
 * How a list of members, with or without their scores, goes on the wire. Redis replies ranges
 * WITHSCORES as one flat array in RESP2 and as an array of [member, score] pairs in RESP3 (clients
 * need the order, so not a map); some replies use one shape whatever the protocol.
 */
enum EntryReply {
    /** Members only. */
    MEMBERS,
    /** member, score, member, score, ... */
    FLAT,
    /** [member, score], [member, score], ... */
    NESTED;

    /** The shape of a range reply: members, or with scores flat in RESP2 and nested in RESP3. */
    static EntryReply of(Reply reply, boolean withScores) {
        if (!withScores) {
            return MEMBERS;
        }
        return reply.protocol() >= 3 ? NESTED : FLAT;
    }

    /** Starts an array of {@code entries} entries. */
    void begin(Reply reply, int entries) {
        reply.array(this == FLAT ? entries * 2 : entries);
    }

    void entry(Reply reply, byte[] member, double score) {
        if (this == NESTED) {
            reply.array(2);
        }
        reply.bulk(member);
        if (this != MEMBERS) {
            reply.doubleValue(score);
        }
    }

    /** A visitor that writes each entry it is given to {@code reply}. */
    EntryVisitor to(Reply reply) {
        return (member, score) -> entry(reply, member, score);
    }
}
