package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Client;
import io.postbox.commands.Stats;
import io.postbox.resp.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which background save serves which replica, and what each replica is told when it ends. */
class ReplicaSyncsTest {

    private final Stats stats = new Stats();
    private final List<String> logged = new ArrayList<>();
    private final ReplicaSyncs syncs = new ReplicaSyncs(stats, new Log() {
        @Override
        public void notice(String message) {
            logged.add(message);
        }

        @Override
        public void warning(String message) {
            logged.add(message);
        }
    });

    /** A replica that records what it was asked to do. */
    private static final class Replica extends Client {
        final List<String> events = new ArrayList<>();

        Replica(long id) {
            super(id, 0, null, true);
        }

        @Override
        public void awaitSnapshot() {
            events.add("await");
        }

        @Override
        public void sendSnapshot(Path file) {
            events.add("send " + file.getFileName());
        }

        @Override
        public void close() {
            events.add("close");
        }

        @Override
        public Reply reply() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void protocol(int protocol) {
        }

        @Override
        public String address() {
            return "127.0.0.1:" + (40000 + id());
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
    }

    @Test
    void withNothingSavingTheReplicaStartsASaveAndGetsItsFile() {
        Replica replica = new Replica(1);
        assertTrue(syncs.ask(replica, false, false));
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(null);
        assertEquals(List.of("await", "send dump.rdb"), replica.events);
        assertEquals(1, stats.fullSyncs);
        assertEquals(List.of("Replica 127.0.0.1:40001 asks for synchronization",
                "Starting BGSAVE for SYNC with target: disk"), logged);
    }

    @Test
    void aSaveRunningBeforeTheReplicaAskedServesOnlyTheNextSave() {
        Replica replica = new Replica(1);
        assertFalse(syncs.ask(replica, true, true));
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
        Replica first = new Replica(1);
        Replica second = new Replica(2);
        assertTrue(syncs.ask(first, false, false));
        syncs.saveStarted(Path.of("dump.rdb"));
        assertFalse(syncs.ask(second, true, true));
        assertFalse(syncs.waiting());
        syncs.saveEnded(null);
        assertEquals(List.of("await", "send dump.rdb"), first.events);
        assertEquals(List.of("await", "send dump.rdb"), second.events);
        assertTrue(logged.contains("Waiting for end of BGSAVE for SYNC"));
    }

    @Test
    void aRewriteRunningDelaysTheSave() {
        Replica replica = new Replica(1);
        assertFalse(syncs.ask(replica, false, true));
        assertTrue(syncs.waiting());
        assertTrue(logged.contains("No BGSAVE in progress, but another BG operation is active. "
                + "BGSAVE for replication delayed"));
    }

    @Test
    void aFailedSaveClosesItsReplicas() {
        Replica replica = new Replica(1);
        syncs.ask(replica, false, false);
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(new IOException("No space left on device"));
        assertEquals(List.of("await", "close"), replica.events);
        assertTrue(logged.contains("SYNC failed. BGSAVE child returned an error"));
        syncs.saveStarted(Path.of("dump.rdb"));
        syncs.saveEnded(null);
        assertEquals(List.of("await", "close"), replica.events, "a replica is served by one save at most");
    }
}
