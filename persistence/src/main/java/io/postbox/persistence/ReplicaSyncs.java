package io.postbox.persistence;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.replication.ReplicationFeed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Replicas in a full sync, and the background saves that serve them, as Redis serves replicas from
 * disk: a replica waits for the next background save to begin, which it starts itself if nothing else
 * is being saved, and gets that save's file when it ends. A save that runs already when a replica asks
 * began too early for it, unless it was started for another replica of the same kind (then both get
 * the same file, and the same stream after it, as in Redis).
 *
 * <p>The save's point in time is where the replica's stream begins ({@link ReplicationStream#startSync}):
 * a replica that asked with PSYNC is told that offset (+FULLRESYNC) then. One that asked for the
 * snapshot only ({@code REPLCONF rdb-only 1}) gets no stream and is closed after its file.
 *
 * <p>Executor thread only.
 */
final class ReplicaSyncs {

    /** A replica in a full sync, and whether it asked with PSYNC (and so is told +FULLRESYNC). */
    private record Sync(Client replica, boolean psync) {
    }

    private final Engine engine;
    private final Log log;
    /** The stream the replicas are fed after their snapshot, created when a replica first wants it. */
    private final Supplier<ReplicationStream> stream;
    /** Replicas waiting for the next background save to begin. */
    private List<Sync> waiting = new ArrayList<>();
    /** Replicas that get the file of the background save that runs. */
    private List<Sync> attached = new ArrayList<>();
    /** Where the background save that runs writes its file. */
    private Path target;

    /** @param stream the stream replicas are fed, created on first use */
    ReplicaSyncs(Engine engine, Log log, Supplier<ReplicationStream> stream) {
        this.engine = engine;
        this.log = log;
        this.stream = stream;
    }

    /**
     * A replica asks for a full sync; true if a background save must start now for it. {@code saving}
     * and {@code busy}: whether a background save runs, and whether any background work (a save or an
     * AOF rewrite) does.
     */
    boolean ask(Client replica, boolean psync, boolean saving, boolean busy) {
        engine.stats().fullSyncs++;
        replica.awaitSnapshot();
        replica.replicaAcked(0, System.currentTimeMillis());
        Sync sync = new Sync(replica, psync);
        if (saving && join(sync)) {
            log.notice("Waiting for end of BGSAVE for SYNC");
            return false;
        }
        waiting.add(sync);
        if (saving) {
            log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
        } else if (busy) {
            log.notice("No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed");
        } else {
            log.notice("Starting BGSAVE for SYNC with target: disk");
            return true;
        }
        return false;
    }

    /**
     * Why PSYNC {@code replicationId} {@code offset} gets a full sync, logged as Redis logs it: a
     * replica that asks for one ({@code ?}), another stream's ID, an offset past where the second ID
     * holds, or an offset the backlog lacks.
     */
    void partialRefused(Client replica, String replicationId, long offset) {
        ReplicationFeed feed = engine.replicationFeed();
        if (replicationId.equals("?")) {
            log.notice("Full resync requested by replica " + replica.replicaName());
        } else if (!replicationId.equalsIgnoreCase(feed.replicationId())
                && !replicationId.equalsIgnoreCase(feed.secondReplicationId())) {
            log.notice("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '"
                    + replicationId + "', my replication IDs are '" + feed.replicationId()
                    + "' and '" + feed.secondReplicationId() + "')");
        } else if (!replicationId.equalsIgnoreCase(feed.replicationId()) && offset > feed.secondOffset()) {
            log.notice("Partial resynchronization not accepted: Requested offset for second ID was " + offset
                    + ", but I can reply up to " + feed.secondOffset());
        } else {
            log.notice("Unable to partial resync with replica " + replica.replicaName()
                    + " for lack of backlog (Replica request was: " + offset + ").");
            if (offset > feed.offset()) {
                log.warning("Warning: replica " + replica.replicaName()
                        + " tried to PSYNC with an offset that is greater than the master replication offset.");
            }
        }
    }

    /** Attaches {@code sync} to the running save if a replica of its kind waits for it too. */
    private boolean join(Sync sync) {
        for (Sync other : attached) {
            if (other.replica().rdbOnly() != sync.replica().rdbOnly()) {
                continue;
            }
            long from = sync.replica().rdbOnly() ? engine.replicationFeed().offset()
                    : stream.get().joinSync(sync.replica(), other.replica());
            if (from >= 0) {
                attached.add(sync);
                fullResync(sync, from);
                return true;
            }
        }
        return false;
    }

    /** Whether replicas wait for a background save to begin. */
    boolean waiting() {
        return !waiting.isEmpty();
    }

    /** A background save to {@code file} begins, its point in time now: the replicas waiting get its file. */
    void saveStarted(Path file) {
        attached = waiting;
        waiting = new ArrayList<>();
        target = file;
        for (Sync sync : attached) {
            Client replica = sync.replica();
            fullResync(sync, replica.rdbOnly() ? engine.replicationFeed().offset() : stream.get().startSync(replica));
        }
    }

    /** Tells a PSYNC replica the stream's ID and the offset its snapshot stands at. */
    private void fullResync(Sync sync, long offset) {
        if (sync.psync()) {
            sync.replica().pushOutput().simple("FULLRESYNC " + engine.replicationFeed().replicationId() + " " + offset);
        }
    }

    /** The background save ended, with {@code error} if it failed: its replicas get its file, or are closed. */
    void saveEnded(Throwable error) {
        List<Sync> served = attached;
        attached = new ArrayList<>();
        for (Sync sync : served) {
            Client replica = sync.replica();
            if (error != null) {
                log.warning("SYNC failed. BGSAVE child returned an error");
                replica.close();
            } else if (replica.rdbOnly()) {
                replica.sendSnapshot(target, () -> {
                    log.notice("RDB transfer completed, rdb only replica (" + replica.replicaName()
                            + ") should be disconnected asap");
                    replica.close();
                });
            } else {
                replica.sendSnapshot(target, () -> stream.get().online(replica));
            }
        }
    }
}
