package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.admin.DetachedProcess;
import io.postbox.commands.Stats;
import io.postbox.commands.config.Config;
import io.postbox.commands.replication.ReplicationFeed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which background save serves which replica, and what each replica is told when it ends. */
class ReplicaSyncsTest {

    private final Engine engine = new Engine(new Config(), Commands.groups());
    private final Stats stats = engine.stats();
    private final RecordingLog log = new RecordingLog();
    private final List<String> logged = log.lines();
    private ReplicationStream stream;
    private final ReplicaSyncs syncs = new ReplicaSyncs(engine, log, () -> {
        if (stream == null) {
            stream = new ReplicationStream(engine, log, DetachedProcess.randomHex40(), 0);
            engine.attach((ReplicationFeed) stream);
        }
        return stream;
    });

    @Test
    void withNothingSavingTheReplicaStartsASaveAndGetsItsFile() {
        RecordingReplica replica = RecordingReplica.rdbOnly(1);
        assertTrue(syncs.ask(replica, false, false, false));
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(null);
        assertEquals(List.of("await", "send dump.rdb"), replica.events);
        replica.snapshotSent.run();
        assertEquals(List.of("await", "send dump.rdb", "close"), replica.events);
        assertEquals(1, stats.fullSyncs);
        assertEquals(List.of("Starting BGSAVE for SYNC with target: disk",
                "RDB transfer completed, rdb only replica (127.0.0.1:<unknown-replica-port>) should be disconnected "
                        + "asap"), logged);
        assertEquals(null, stream, "a snapshot alone needs no stream");
    }

    @Test
    void aFullSyncIsToldItsOffsetThenFedWhatWasWrittenSinceItsSnapshot() {
        RecordingReplica replica = new RecordingReplica(1);
        assertTrue(syncs.ask(replica, true, false, false));
        syncs.saveStarted(Path.of("dump.rdb"));
        String id = stream.replicationId();
        assertEquals("+FULLRESYNC " + id + " 0\r\n", replica.fed.toString(StandardCharsets.US_ASCII));
        stream.written(engine.database(0), new byte[][] {bytes("LPUSH"), bytes("q"), bytes("a")});
        syncs.saveEnded(null);
        assertEquals("+FULLRESYNC " + id + " 0\r\n", replica.fed.toString(StandardCharsets.US_ASCII),
                "nothing of the stream before the snapshot is sent");
        replica.snapshotSent.run();
        String selectAndPush = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$5\r\nLPUSH\r\n$1\r\nq\r\n$1\r\na\r\n";
        assertEquals("+FULLRESYNC " + id + " 0\r\n" + selectAndPush, replica.fed.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of("await", "send dump.rdb", "online"), replica.events);
        assertEquals(selectAndPush.length(), stream.offset());
        assertEquals(1, stream.backlogFirstByte());
        assertEquals(selectAndPush.length(), stream.backlogHistlen());
    }

    @Test
    void aLaterFullSyncIsFedASelectBeforeItsFirstWriteWhateverTheStreamSelectedLast() {
        RecordingReplica first = new RecordingReplica(1);
        syncs.ask(first, true, false, false);
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(null);
        first.snapshotSent.run();
        stream.written(engine.database(0), new byte[][] {bytes("DEL"), bytes("a")});
        RecordingReplica second = new RecordingReplica(2);
        syncs.ask(second, true, false, false);
        syncs.saveStarted(Path.of("dump.rdb"));
        stream.written(engine.database(0), new byte[][] {bytes("DEL"), bytes("b")});
        syncs.saveEnded(null);
        second.snapshotSent.run();
        String fed = second.fed.toString(StandardCharsets.US_ASCII);
        assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n",
                fed.substring(fed.indexOf("\r\n") + 2));
    }

    @Test
    void aReplicaThatJoinsARunningSyncIsOwedWhatTheOtherIs() {
        RecordingReplica first = new RecordingReplica(1);
        RecordingReplica second = new RecordingReplica(2);
        syncs.ask(first, true, false, false);
        syncs.saveStarted(Path.of("dump.rdb"));
        stream.written(engine.database(0), new byte[][] {bytes("DEL"), bytes("k")});
        assertFalse(syncs.ask(second, false, true, true));
        syncs.saveEnded(null);
        first.snapshotSent.run();
        second.snapshotSent.run();
        String first_ = first.fed.toString(StandardCharsets.US_ASCII);
        assertEquals(first_.substring(first_.indexOf("\r\n") + 2), second.fed.toString(StandardCharsets.US_ASCII),
                "the same stream from the same snapshot, without +FULLRESYNC for SYNC");
    }

    @Test
    void aPsyncWithinTheBacklogContinuesAndOneBeyondItIsRefused() {
        RecordingReplica first = new RecordingReplica(1);
        syncs.ask(first, true, false, false);
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(null);
        first.snapshotSent.run();
        stream.written(engine.database(0), new byte[][] {bytes("DEL"), bytes("k")});
        RecordingReplica again = new RecordingReplica(2);
        assertTrue(stream.tryContinue(again, stream.replicationId(), 1));
        assertEquals("+CONTINUE " + stream.replicationId() + "\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                + "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n", again.fed.toString(StandardCharsets.US_ASCII));
        assertFalse(stream.tryContinue(new RecordingReplica(3), stream.replicationId(), stream.offset() + 2));
        assertFalse(stream.tryContinue(new RecordingReplica(4), "0".repeat(40), 1));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSaveRunningBeforeTheReplicaAskedServesOnlyTheNextSave() {
        RecordingReplica replica = RecordingReplica.rdbOnly(1);
        assertFalse(syncs.ask(replica, false, true, true));
        assertTrue(syncs.waiting());
        syncs.saveEnded(null);
        assertEquals(List.of("await"), replica.events, "the running save's file is older than the request");
        syncs.saveStarted(Path.of("next.rdb"));
        assertFalse(syncs.waiting());
        syncs.saveEnded(null);
        assertEquals(List.of("await", "send next.rdb"), replica.events);
        assertTrue(logged.contains("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC"));
    }

    @Test
    void aReplicaJoinsASaveStartedForAnotherReplica() {
        RecordingReplica first = RecordingReplica.rdbOnly(1);
        RecordingReplica second = RecordingReplica.rdbOnly(2);
        assertTrue(syncs.ask(first, false, false, false));
        syncs.saveStarted(Path.of("dump.rdb"));
        assertFalse(syncs.ask(second, false, true, true));
        assertFalse(syncs.waiting());
        syncs.saveEnded(null);
        assertEquals(List.of("await", "send dump.rdb"), first.events);
        assertEquals(List.of("await", "send dump.rdb"), second.events);
        assertTrue(logged.contains("Waiting for end of BGSAVE for SYNC"));
    }

    @Test
    void aRewriteRunningDelaysTheSave() {
        RecordingReplica replica = RecordingReplica.rdbOnly(1);
        assertFalse(syncs.ask(replica, false, false, true));
        assertTrue(syncs.waiting());
        assertTrue(logged.contains("No BGSAVE in progress, but another BG operation is active. "
                + "BGSAVE for replication delayed"));
    }

    @Test
    void aFailedSaveClosesItsReplicas() {
        RecordingReplica replica = RecordingReplica.rdbOnly(1);
        syncs.ask(replica, false, false, false);
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(new IOException("No space left on device"));
        assertEquals(List.of("await", "close"), replica.events);
        assertTrue(logged.contains("SYNC failed. BGSAVE child returned an error"));
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(null);
        assertEquals(List.of("await", "close"), replica.events, "a replica is served by one save at most");
    }
}
