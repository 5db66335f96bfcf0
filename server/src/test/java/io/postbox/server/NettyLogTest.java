package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Netty's log lines land in the server's log file, in Redis's line format, at the log's level. */
class NettyLogTest {

    private static final String LINE_START = "\\d+:M \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} ";

    @AfterEach
    void routeToStandardOutput() {
        NettyLog.routeTo(new ServerLog());
    }

    @Test
    void warningsAreWarningsAndTheRestVerbose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("postbox.log");
        ServerLog log = new ServerLog();
        log.file(file.toString());
        NettyLog.select();
        NettyLog.routeTo(log);
        InternalLogger netty = InternalLoggerFactory.getInstance("io.netty.channel.DefaultChannelPipeline");

        netty.warn("An exceptionCaught() event was fired: {}", "reached the tail", new IOException("reset by peer"));
        netty.info("Said at info");
        netty.debug("Said at debug");
        log.level("verbose");
        netty.info("Said at info, heard at verbose");

        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches(LINE_START
                + "# An exceptionCaught\\(\\) event was fired: reached the tail: java.io.IOException: reset by peer"),
                lines.get(0));
        assertTrue(lines.get(1).matches(LINE_START + "- Said at info, heard at verbose"), lines.get(1));
    }
}
