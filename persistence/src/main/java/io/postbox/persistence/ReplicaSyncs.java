package io.postbox.persistence;

import io.postbox.commands.Client;
import io.postbox.commands.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replicas that asked for a snapshot with SYNC, and the background saves that serve them, as Redis
 * serves replicas from disk: a replica waits for the next background save to begin, which it starts
 * itself if nothing else is being saved, and gets that save's file when it ends. A save that runs
 * already when a replica asks began too early for it, unless it was started for another replica (then
 * both get the same file, as in Redis).
 *
 * <p>Executor thread only.
 */
final class ReplicaSyncs {

    private final Stats stats;
    private final Log log;
    /** Replicas waiting for the next background save to begin. */
    private List<Client> waiting = new ArrayList<>();
    /** Replicas that get the file of the background save that runs. */
    private List<Client> attached = new ArrayList<>();
    /** Where the background save that runs writes its file. */
    private Path target;

    ReplicaSyncs(Stats stats, Log log) {
        this.stats = stats;
        this.log = log;
    }

    /**
     * A replica asks for a snapshot; true if a background save must start now for it. {@code saving}
     * and {@code busy}: whether a background save runs, and whether any background work (a save or an
     * AOF rewrite) does.
     */
    boolean ask(Client replica, boolean saving, boolean busy) {
        log.notice("Replica " + replica.address() + " asks for synchronization");
        stats.fullSyncs++;
        replica.awaitSnapshot();
        if (saving && !attached.isEmpty()) {
            attached.add(replica);
            log.notice("Waiting for end of BGSAVE for SYNC");
            return false;
        }
        waiting.add(replica);
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

    /** Whether replicas wait for a background save to begin. */
    boolean waiting() {
        return !waiting.isEmpty();
    }

    /** A background save to {@code file} begins: the replicas waiting get its file. */
    void saveStarted(Path file) {
        attached = waiting;
        waiting = new ArrayList<>();
        target = file;
    }

    /** The background save ended, with {@code error} if it failed: its replicas get its file, or are closed. */
    void saveEnded(Throwable error) {
        List<Client> served = attached;
        attached = new ArrayList<>();
        for (Client replica : served) {
            if (error == null) {
                replica.sendSnapshot(target);
            } else {
                log.warning("SYNC failed. BGSAVE child returned an error");
                replica.close();
            }
        }
    }
}
