package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The backlog: a ring of the latest stream, from which a replica continues, and which can be resized. */
class ReplicationStreamTest {

    private final Engine engine = new Engine(new Config(), Commands.groups());
    private final Log log = new RecordingLog();

    private ReplicationStream streamWithWrites(int writes) {
        ReplicationStream stream = new ReplicationStream(engine, log);
        for (int i = 0; i < writes; i++) {
            byte[][] command = {bytes("LPUSH"), bytes("queue"), bytes("message-" + i)};
            stream.written(engine.database(i % 3), command);
        }
        return stream;
    }

    /** The stream from {@code from} on, as a replica that continues there gets it after its +CONTINUE line. */
    private static byte[] continuedFrom(ReplicationStream stream, long from) {
        RecordingReplica replica = new RecordingReplica(1);
        assertTrue(stream.tryContinue(replica, stream.replicationId(), from), "continues from " + from);
        String line = "+CONTINUE " + stream.replicationId() + "\r\n";
        assertEquals(line, replica.fed.readCharSequence(line.length(), StandardCharsets.US_ASCII).toString());
        return ByteBufUtil.getBytes(replica.fed);
    }

    @Test
    void theBacklogKeepsTheLatestBytesOnceTheStreamOutgrowsIt() {
        engine.config().set("repl-backlog-size", "16384");
        ReplicationStream stream = new ReplicationStream(engine, log);
        ReplicationStream reference = new ReplicationStream(engine, log);
        engine.config().set("repl-backlog-size", "10mb");
        reference.cron();
        for (int i = 0; i < 2_000; i++) {
            byte[][] command = {bytes("LPUSH"), bytes("queue"), bytes("message-" + i)};
            stream.written(engine.database(i % 3), command);
            reference.written(engine.database(i % 3), command);
        }
        byte[] all = continuedFrom(reference, 1);
        assertEquals(all.length, stream.offset());
        assertTrue(stream.offset() > 16384);
        assertEquals(16384, stream.backlogHistlen());
        assertEquals(stream.offset() - 16384 + 1, stream.backlogFirstByte());
        long from = stream.offset() - 1000;
        assertArrayEquals(Arrays.copyOfRange(all, (int) from - 1, all.length), continuedFrom(stream, from));
        assertArrayEquals(new byte[0], continuedFrom(stream, stream.offset() + 1), "nothing missed");
        assertFalse(stream.tryContinue(new RecordingReplica(1), stream.replicationId(), stream.backlogFirstByte() - 1));
        assertFalse(stream.tryContinue(new RecordingReplica(1), stream.replicationId(), stream.offset() + 2));
    }

    @Test
    void aResizedBacklogKeepsWhatFits() {
        ReplicationStream stream = streamWithWrites(2_000);
        long offset = stream.offset();
        byte[] latest = continuedFrom(stream, offset - 16383);
        engine.config().set("repl-backlog-size", "16384");
        stream.cron();
        assertEquals(16384, stream.backlogHistlen());
        assertEquals(offset - 16383, stream.backlogFirstByte());
        assertArrayEquals(latest, continuedFrom(stream, stream.backlogFirstByte()));
        stream.written(engine.database(0), new byte[][] {bytes("DEL"), bytes("queue")});
        assertArrayEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$3\r\nDEL\r\n$5\r\nqueue\r\n"
                .getBytes(StandardCharsets.US_ASCII), continuedFrom(stream, offset + 1), "the ring goes on after it");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
