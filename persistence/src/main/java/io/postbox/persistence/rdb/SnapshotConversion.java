package io.postbox.persistence.rdb;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a complete RDB snapshot into the file a job's target should hold instead (an append-only
 * file's base as commands, with aof-use-rdb-preamble no). Runs where the snapshot is written, off the
 * executor, before the result is renamed over the target.
 */
public interface SnapshotConversion {

    /** Writes {@code converted} from the RDB file {@code snapshot}, and makes it durable (fsync). */
    void convert(Path snapshot, Path converted) throws IOException;
}
