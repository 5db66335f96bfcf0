package io.postbox.persistence;

import io.postbox.persistence.rdb.SnapshotFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** An I/O failure in the words of C's strerror, as Redis's log lines and MISCONF replies print it. */
public final class IoErrors {

    private IoErrors() {
    }

    /** What went wrong writing a snapshot, as Redis logs it. */
    static String snapshotFailure(Throwable error) {
        if (error instanceof SnapshotFile.OpenFailed open) {
            return "Failed opening the temp RDB file " + open.temp().getFileName() + " (in server root dir "
                    + open.temp().getParent() + ") for saving: " + describe(open.getCause());
        }
        return "Write error saving DB on disk: " + describe(error);
    }

    /** C's strerror text for {@code error}: {@code No such file or directory}, {@code Permission denied}, ... */
    public static String describe(Throwable error) {
        if (error instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (error instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (error instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (error instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
