package io.postbox.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says of the calling thread, and whether a tool the priority tests need is installed. */
public final class ThisThread {

    private ThisThread() {
    }

    public static boolean isOnLinux() {
        return Files.exists(Path.of("/proc/thread-self/stat"));
    }

    /** Field {@code number} (from 1) of /proc/thread-self/stat, counted past the command name's spaces. */
    public static String statField(int number) {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[number - 3];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code command} runs and succeeds. */
    public static boolean toolRuns(String... command) throws InterruptedException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
