package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.admin.DetachedProcess;
import io.postbox.commands.config.Config;
import io.postbox.persistence.rdb.ReplicationPoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The backlog: a ring of the latest stream, from which a replica continues, and which can be resized. */
class ReplicationStreamTest {

    private final Engine engine = new Engine(new Config(), Commands.groups());
    private final Log log = new RecordingLog();

    private ReplicationStream newStream() {
        return new ReplicationStream(engine, log, DetachedProcess.randomHex40(), 0);
    }

    private ReplicationStream streamWithWrites(int writes) {
        ReplicationStream stream = newStream();
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
        ReplicationStream stream = newStream();
        ReplicationStream reference = newStream();
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

    @Test
    void aReplicaCarriesItsMastersStreamByteForByteUnderTheMastersIdAndOffsets() {
        String masterId = DetachedProcess.randomHex40();
        ReplicationStream stream = new ReplicationStream(engine, log, masterId, 1000);
        stream.carryMaster(3);
        stream.written(engine.database(0), new byte[][] {bytes("DEL"), bytes("local")});
        stream.proxy(new byte[][] {bytes("MULTI")});
        stream.proxy(new byte[][] {bytes("LPUSH"), bytes("queue"), bytes("a")});
        assertEquals(1000, stream.offset(), "half a transaction is not applied yet");
        stream.proxy(new byte[][] {bytes("EXEC")});
        stream.masterApplied(3);
        String carried = "*1\r\n$5\r\nMULTI\r\n*3\r\n$5\r\nLPUSH\r\n$5\r\nqueue\r\n$1\r\na\r\n*1\r\n$4\r\nEXEC\r\n";
        assertEquals(1000 + carried.length(), stream.offset(), "this server's own write is not carried");
        assertEquals(masterId, stream.replicationId());
        assertEquals(carried, new String(continuedFrom(stream, 1001), StandardCharsets.US_ASCII));
        assertEquals(new ReplicationPoint(3, masterId, stream.offset()), stream.point());

        stream.proxy(new byte[][] {bytes("MULTI")});
        stream.discardUnapplied();
        stream.proxy(new byte[][] {bytes("PING")});
        stream.masterApplied(3);
        assertEquals(carried + "*1\r\n$4\r\nPING\r\n",
                new String(continuedFrom(stream, 1001), StandardCharsets.US_ASCII),
                "what a dropped link had sent of a transaction comes again, so it is not carried");
    }

    @Test
    void aPromotedReplicaContinuesItsMastersOtherReplicasUpToWhereItsOwnHistoryBegan() {
        String masterId = DetachedProcess.randomHex40();
        ReplicationStream stream = new ReplicationStream(engine, log, masterId, 0);
        stream.carryMaster(2);
        stream.proxy(new byte[][] {bytes("SET"), bytes("k"), bytes("v")});
        stream.masterApplied(2);
        long promotedAt = stream.offset();
        stream.becomeMaster();
        assertEquals(masterId, stream.secondReplicationId());
        assertEquals(promotedAt + 1, stream.secondOffset());
        assertFalse(masterId.equals(stream.replicationId()));
        stream.written(engine.database(2), new byte[][] {bytes("DEL"), bytes("k")});

        RecordingReplica sibling = new RecordingReplica(1);
        assertTrue(stream.tryContinue(sibling, masterId, promotedAt + 1), "a replica as far as the master got");
        String line = "+CONTINUE " + stream.replicationId() + "\r\n";
        assertEquals(line + "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n",
                sibling.fed.toString(StandardCharsets.US_ASCII), "its own writes start with a SELECT");
        assertTrue(stream.tryContinue(new RecordingReplica(2), masterId, promotedAt), "one a command behind");
        assertFalse(stream.tryContinue(new RecordingReplica(3), masterId, promotedAt + 2),
                "the old master's history ends where this one's began");
        assertFalse(stream.tryContinue(new RecordingReplica(4), DetachedProcess.randomHex40(), promotedAt + 1));
    }

    @Test
    void aMastersSnapshotPointCutsTheRunningTransactionAndNamesItsDatabase() {
        ReplicationStream stream = newStream();
        stream.unitStarted();
        stream.written(engine.database(4), new byte[][] {bytes("SET"), bytes("k"), bytes("v")});
        ReplicationPoint point = stream.point();
        stream.unitEnded();
        assertEquals(4, point.streamDb());
        assertEquals(stream.offset(), point.offset(), "the write in the snapshot is before its offset");
        assertTrue(point.offset() > 0);
        assertEquals(0, newStream().point().streamDb(), "a stream that selected nothing starts in database 0");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
