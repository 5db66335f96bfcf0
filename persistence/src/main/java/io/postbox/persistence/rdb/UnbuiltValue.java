package io.postbox.persistence.rdb;

/**
 * A value read from the file but left for the storing thread to build ({@link SnapshotReader}): on a
 * load the parser thread is the busier of the two, and the storer, which otherwise waits for it, has
 * time for the building that needs no more bytes of the file (a large sorted set's skip list).
 */
interface UnbuiltValue {

    /** The value; an error names the file and the offset after the value's record. */
    Object build() throws RdbFormatException;
}
