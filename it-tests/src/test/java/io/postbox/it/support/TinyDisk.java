package io.postbox.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test, to fill up: disk-full faults without touching the real disk.
 * Mounting needs root with CAP_SYS_ADMIN (a CI container may not have it): without it the test is
 * skipped, saying so.
 */
public final class TinyDisk implements AutoCloseable {

    private final Path mountPoint;

    private TinyDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code bytes} at {@code mountPoint} (created), or skips the calling test. */
    public static TinyDisk mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        Subprocess.Result mounted = Subprocess.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes,
                "tmpfs", mountPoint.toString()), null, 20);
        Assumptions.assumeTrue(mounted.exitCode() == 0,
                "disk-full test skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): " + mounted.output());
        return new TinyDisk(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Writes {@code name} until the disk has no space left; deleting it frees the disk again. */
    public Path fill(String name) throws IOException {
        Path filler = mountPoint.resolve(name);
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
        return filler;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Subprocess.Result unmounted = Subprocess.run(List.of("umount", mountPoint.toString()), null, 20);
        if (unmounted.exitCode() != 0) {
            Subprocess.run(List.of("umount", "-l", mountPoint.toString()), null, 20);
        }
    }
}
