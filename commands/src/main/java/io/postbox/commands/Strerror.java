package io.postbox.commands;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** An I/O failure in the words of C's strerror, as Redis's log lines and error replies print it. */
public final class Strerror {

    private Strerror() {
    }

    /** {@code No such file or directory}, {@code Permission denied}, ... */
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
