package io.postbox.commands.zsets;

/** Receives members of a sorted set with their scores, in order, until it answers false. */
@FunctionalInterface
public interface ScoreWalk {

    /** {@code member} belongs to the set and must not be changed; true to go on. */
    boolean visit(byte[] member, double score);
}
