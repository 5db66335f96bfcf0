package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * INFO cpu: system and user CPU seconds of the process (from /proc/self/stat on Linux) and of the
 * executor thread, which runs INFO itself ("main thread" in Redis's terms). Postbox has no children.
 */
final class CpuSection implements InfoSection {

    /** Clock ticks per second of /proc's times: 100 on every Linux that matters. */
    private static final double TICKS_PER_SECOND = 100.0;

    @Override
    public String title() {
        return "CPU";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        double[] process = processSeconds();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double threadTotal = Math.max(0, threads.getCurrentThreadCpuTime()) / 1e9;
        double threadUser = Math.max(0, threads.getCurrentThreadUserTime()) / 1e9;
        out.field("used_cpu_sys", seconds(process[0]))
                .field("used_cpu_user", seconds(process[1]))
                .field("used_cpu_sys_children", seconds(0))
                .field("used_cpu_user_children", seconds(0))
                .field("used_cpu_sys_main_thread", seconds(Math.max(0, threadTotal - threadUser)))
                .field("used_cpu_user_main_thread", seconds(threadUser));
    }

    /** {system, user} seconds of this process. */
    private static double[] processSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(fields[12]) / TICKS_PER_SECOND, Long.parseLong(fields[11]) / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new double[] {0, Math.max(0, os.getProcessCpuTime()) / 1e9};
            }
            return new double[] {0, 0};
        }
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
