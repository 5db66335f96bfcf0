package io.postbox.commands.replication;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.connection.ClientPause;

/**
 * A coordinated failover (FAILOVER), as Redis 6.2's: this master pauses writes, waits for a replica
 * (the one named, or the first) to acknowledge the whole stream, then follows it, asking it with
 * {@code PSYNC <id> <offset> FAILOVER} to take over as master first. Once the replica answers the PSYNC
 * as a master would, writes go on here, as a replica's: they get -READONLY. A replica that refuses, a
 * timeout without FORCE, or FAILOVER ABORT makes this server a master again, its data kept.
 *
 * <p>Executor thread only.
 */
public final class Failover {

    /** Redis's failover_state, with INFO's names for it. */
    public enum State {
        NONE("no-failover"), WAITING_FOR_SYNC("waiting-for-sync"), IN_PROGRESS("failover-in-progress");

        private final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }

        public String infoName() {
            return infoName;
        }
    }

    private final Engine engine;
    private State state = State.NONE;
    /** The replica to hand over to: named by FAILOVER TO, or the first found in sync; null until then. */
    private String targetHost;
    private int targetPort;
    /** When a failover waiting for its replica gives up (or, with FORCE, goes on); 0 for never. */
    private long endMillis;
    private boolean force;

    public Failover(Engine engine) {
        this.engine = engine;
    }

    public State state() {
        return state;
    }

    /** Whether this master is asking a replica to take over: its PSYNC says FAILOVER. */
    public boolean inProgress() {
        return state == State.IN_PROGRESS;
    }

    /**
     * Starts waiting for the replica at {@code host:port} (null for whichever is in sync first), for
     * {@code timeoutMillis} (0 for no limit); writes are paused meanwhile.
     */
    void start(String host, int port, long timeoutMillis, boolean force) {
        targetHost = host;
        targetPort = port;
        log(host == null ? "FAILOVER requested to any replica." : "FAILOVER requested to " + host + ":" + port + ".");
        endMillis = timeoutMillis > 0 ? engine.now() + timeoutMillis : 0;
        this.force = force;
        state = State.WAITING_FOR_SYNC;
        engine.pause().freeze(ClientPause.Purpose.FAILOVER, ClientPause.Mode.WRITE);
    }

    /**
     * Each cron and each acknowledgement, while waiting: past the timeout, hands over anyway (FORCE) or
     * gives up; else hands over once the replica has acknowledged the whole stream.
     */
    public void check() {
        if (state != State.WAITING_FOR_SYNC) {
            return;
        }
        if (endMillis != 0 && endMillis <= engine.now()) {
            if (force) {
                log("FAILOVER to " + targetHost + ":" + targetPort + " time out exceeded, failing over.");
                handOver();
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        long offset = engine.replicationFeed().offset();
        Client replica = targetHost != null ? replica(targetHost, targetPort) : null;
        if (targetHost == null) {
            for (Client candidate : engine.replicaAcks().onlineReplicas()) {
                if (candidate.replicaAckOffset() == offset) {
                    replica = candidate;
                    targetHost = candidate.replicaHost();
                    targetPort = candidate.replicaListeningPort();
                    break;
                }
            }
        }
        if (replica != null && replica.replicaAckOffset() == offset) {
            log("Failover target " + targetHost + ":" + targetPort + " is synced, failing over.");
            handOver();
        }
    }

    /** The replica whose address and listening port are these, online or not; null if none. */
    Client replica(String host, int port) {
        for (Client client : engine.clients().all()) {
            if (client.replica() && client.replicaHost().equalsIgnoreCase(host)
                    && client.replicaListeningPort() == port) {
                return client;
            }
        }
        return null;
    }

    private void handOver() {
        state = State.IN_PROGRESS;
        engine.masterLink().follow(targetHost, targetPort, null);
    }

    /** The replica answered the PSYNC as a master: it took over, and this server follows it. */
    public void completed() {
        if (state == State.IN_PROGRESS) {
            clear();
        }
    }

    /** Ends a failover, this server a master again if it had started following its replica. */
    public void abort(String reason) {
        if (state == State.NONE) {
            return;
        }
        log(targetHost == null ? "FAILOVER to any replica aborted: " + reason
                : "FAILOVER to " + targetHost + ":" + targetPort + " aborted: " + reason);
        if (state == State.IN_PROGRESS) {
            engine.masterLink().stop();
        }
        clear();
    }

    private void clear() {
        state = State.NONE;
        targetHost = null;
        targetPort = 0;
        endMillis = 0;
        force = false;
        engine.pause().thaw(ClientPause.Purpose.FAILOVER);
    }

    private void log(String line) {
        engine.process().log(LogLevel.NOTICE, line);
    }
}
