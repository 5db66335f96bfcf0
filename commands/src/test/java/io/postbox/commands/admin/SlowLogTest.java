package io.postbox.commands.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.config.Config;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowLogTest {

    private final Config config = new Config();
    private final SlowLog log = new SlowLog(config);
    private final Command ping = Command.builder("ping").arity(-1).handler(call -> { }).build();
    private final Client client = new Client(7, 0, null, true) {
        @Override
        public Reply reply() {
            return null;
        }

        @Override
        public void protocol(int protocol) {
        }

        @Override
        public String address() {
            return "127.0.0.1:5000";
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:6379";
        }

        @Override
        public void closeAfterReply() {
        }

        @Override
        public long pendingOutputBytes() {
            return 0;
        }
    };

    private static byte[][] args(String... words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return args;
    }

    private static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    @Test
    void logsCommandsAtLeastAsSlowAsTheThresholdNewestFirst() {
        config.set("slowlog-log-slower-than", "100");
        log.record(client, ping, args("ping", "fast"), 99);
        log.record(client, ping, args("ping", "slow"), 100);
        log.record(client, ping, args("ping", "slower"), 5000);
        List<SlowLog.Entry> entries = log.newest(10);
        assertEquals(2, entries.size());
        assertEquals("slower", text(entries.get(0).args().get(1)));
        assertEquals(5000, entries.get(0).micros());
        assertEquals(1, entries.get(0).id());
        assertEquals("127.0.0.1:5000", entries.get(0).clientAddress());
        assertEquals("", entries.get(0).clientName());
    }

    @Test
    void keepsAtMostMaxLenEntriesAndIdsKeepCountingAfterReset() {
        config.set("slowlog-log-slower-than", "0");
        config.set("slowlog-max-len", "2");
        for (int i = 0; i < 5; i++) {
            log.record(client, ping, args("ping", "n" + i), 0);
        }
        assertEquals(2, log.size());
        assertEquals("n4", text(log.newest(1).get(0).args().get(1)));
        log.reset();
        assertEquals(0, log.size());
        log.record(client, ping, args("ping"), 0);
        assertEquals(5, log.newest(1).get(0).id());
    }

    @Test
    void aNegativeThresholdOrZeroLengthDisablesTheLog() {
        config.set("slowlog-log-slower-than", "-1");
        log.record(client, ping, args("ping"), 1_000_000);
        assertEquals(0, log.size());
        config.set("slowlog-log-slower-than", "0");
        config.set("slowlog-max-len", "0");
        log.record(client, ping, args("ping"), 1_000_000);
        assertEquals(0, log.size());
    }

    @Test
    void truncatesLongArgumentListsAndLongArgumentsAsRedisDoes() {
        config.set("slowlog-log-slower-than", "0");
        String[] many = new String[40];
        many[0] = "ping";
        for (int i = 1; i < many.length; i++) {
            many[i] = "a" + i;
        }
        log.record(client, ping, args(many), 0);
        List<byte[]> kept = log.newest(1).get(0).args();
        assertEquals(32, kept.size());
        assertEquals("a30", text(kept.get(30)));
        assertEquals("... (9 more arguments)", text(kept.get(31)));

        log.record(client, ping, args("echo", "x".repeat(200)), 0);
        String arg = text(log.newest(1).get(0).args().get(1));
        assertEquals("x".repeat(128) + "... (72 more bytes)", arg);
    }
}
