package io.postbox.commands.admin.info;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory figures INFO memory reports (and MEMORY, maxmemory and a snapshot's header), taken from
 * the JVM: heap in use stands for Redis's used_memory, the committed heap for the allocator's active
 * memory, the process's resident set (from /proc on Linux) for used_memory_rss.
 */
public final class JvmMemory {

    private JvmMemory() {
    }

    public static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    public static long heapCommitted() {
        return Runtime.getRuntime().totalMemory();
    }

    /** Resident set size in bytes, or the committed heap where /proc is not available. */
    public static long residentSetSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // Not Linux, or /proc hidden: fall through.
        }
        return heapCommitted();
    }

    static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
