package io.postbox.commands.lists;

/**
 * The elements of one list node still in the form a snapshot file stored them (an LZF-compressed
 * listpack), kept so until a command first reads or removes them: a list loaded at startup is only
 * unpacked node by node as its consumers reach it, so loading a queue's backlog costs little more
 * than reading the file, and an untouched node is written to the next snapshot as it was read. Made
 * by the loader, immutable, and safe to read from any thread.
 */
public interface SealedNode {

    /** How many elements the node holds. */
    int count();

    /** The bytes it occupies: what MEMORY USAGE counts for it. */
    int bytes();

    /** Appends its elements at the tail of {@code list}, in order. */
    void unpackInto(PackedList list);
}
