package io.postbox.commands.zsets;

/** Receives members of a sorted set with their scores, in the order a walk meets them. */
@FunctionalInterface
public interface EntryVisitor {

    /** {@code member} belongs to the set: it must not be changed. */
    void visit(byte[] member, double score);
}
