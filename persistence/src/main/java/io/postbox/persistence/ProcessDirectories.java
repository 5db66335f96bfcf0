package io.postbox.persistence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Directories named for the process that made them, {@code <prefix><pid>}, in a shared parent (the
 * system's temporary directory): one that a process killed meanwhile left behind is known as such by
 * its pid, and a later process removes it. Only the files such a directory is known to hold are
 * removed, and nothing behind a symbolic link.
 */
final class ProcessDirectories {

    private final Path parent;
    private final String prefix;
    private final List<String> files;

    ProcessDirectories(Path parent, String prefix, List<String> files) {
        this.parent = parent;
        this.prefix = prefix;
        this.files = files;
    }

    /**
     * Creates this process's directory. One by the same name is a leftover of an earlier process that
     * had the same pid (each start is pid 1 in a container) and is removed first.
     */
    Path create() throws IOException {
        Path dir = parent.resolve(prefix + ProcessHandle.current().pid());
        remove(dir);
        return Files.createDirectory(dir);
    }

    /** Removes the directories of processes no longer running, as far as it can. */
    void removeAbandoned() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path dir : dirs) {
                if (ownerGone(dir.getFileName().toString().substring(prefix.length()))) {
                    remove(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // What is left stays until a later start: a few small files in the temporary directory.
        }
    }

    /** Removes {@code dir} and the files it is known to hold, if it is a directory and not a link. */
    void remove(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            for (String file : files) {
                Files.deleteIfExists(dir.resolve(file));
            }
            Files.deleteIfExists(dir);
        } catch (IOException | SecurityException e) {
            // Not ours to remove, or in use: it stays.
        }
    }

    private static boolean ownerGone(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
