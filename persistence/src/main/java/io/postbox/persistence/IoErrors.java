package io.postbox.persistence;

import io.postbox.commands.Strerror;
import io.postbox.persistence.rdb.SnapshotFile;

/** The lines Redis logs for failed snapshot writes. */
public final class IoErrors {

    private IoErrors() {
    }

    /** What went wrong writing a snapshot, as Redis logs it. */
    static String snapshotFailure(Throwable error) {
        if (error instanceof SnapshotFile.OpenFailed open) {
            return "Failed opening the temp RDB file " + open.temp().getFileName() + " (in server root dir "
                    + open.temp().getParent() + ") for saving: " + Strerror.describe(open.getCause());
        }
        return "Write error saving DB on disk: " + Strerror.describe(error);
    }
}
