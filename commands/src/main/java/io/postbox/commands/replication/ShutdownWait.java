package io.postbox.commands.replication;

import io.postbox.commands.BlockedOperation;
import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.admin.ServerProcess;
import io.postbox.commands.connection.ClientPause;
import io.postbox.resp.ErrorReply;
import java.util.ArrayList;
import java.util.List;

/**
 * A shutdown that first lets the replicas catch up, as Redis 7.0's does: unless it is NOW, with
 * {@code shutdown-timeout} above 0 and a replica that has not acknowledged the whole stream,
 * writes are paused, the replicas are asked for their offsets, and the shutdown goes on once every
 * one has acknowledged the stream or the timeout passes; SHUTDOWN's client waits meanwhile, and
 * SHUTDOWN ABORT cancels it. A shutdown that then fails (its save, without FORCE) answers the waiting
 * clients with an error and lets writes go on.
 *
 * <p>Executor thread only.
 */
public final class ShutdownWait {

    private static final ErrorReply FAILED = Errors.err("Errors trying to SHUTDOWN. Check logs.");

    private final Engine engine;
    /** The shutdown that waits, or null. */
    private ServerProcess.ShutdownRequest request;
    private long deadlineMillis;
    /** The SHUTDOWN calls that wait for it, each its client's wait. */
    private final List<BlockedOperation> callers = new ArrayList<>();

    public ShutdownWait(Engine engine) {
        this.engine = engine;
    }

    /** Whether a shutdown waits for replicas. */
    public boolean pending() {
        return request != null;
    }

    /** When the waiting shutdown goes on even if replicas are still behind. */
    public long deadlineMillis() {
        return deadlineMillis;
    }

    /**
     * SHUTDOWN: runs {@code requested} now, or, if replicas lag and it may wait, starts waiting for them
     * with the caller blocked. A shutdown already waiting takes the caller too, unless it is NOW.
     */
    public void shutdown(Invocation call, ServerProcess.ShutdownRequest requested) {
        if (begin(requested)) {
            engine.blockedClients().blockUntilTimeout(call, 0, reply -> reply.error(FAILED));
            callers.add(call.client().blockedOn());
        }
    }

    /**
     * Starts a shutdown (SHUTDOWN, a signal): returns true if it waits for replicas (or one waits
     * already, which stands), and otherwise runs it now.
     *
     * @throws ErrorReply if the server refuses to stop
     */
    public boolean begin(ServerProcess.ShutdownRequest requested) {
        if (pending() && !requested.now()) {
            return true;
        }
        long timeoutSeconds = engine.config().getLong("shutdown-timeout");
        if (requested.now() || timeoutSeconds == 0 || lagging().isEmpty()) {
            finish(requested);
            return false;
        }
        request = requested;
        deadlineMillis = engine.now() + timeoutSeconds * 1000;
        engine.pause().freeze(ClientPause.Purpose.SHUTDOWN, ClientPause.Mode.WRITE);
        engine.replicationFeed().requestAcks();
        engine.process().log(LogLevel.NOTICE, "Waiting for replicas before shutting down.");
        return true;
    }

    /** SHUTDOWN ABORT: the waiting shutdown is cancelled, writes go on, and its callers get an error. */
    public void abort() {
        engine.process().log(LogLevel.NOTICE, "Shutdown manually aborted.");
        end(FAILED);
    }

    /**
     * Each cron and each acknowledgement: once every replica has the whole stream, or the timeout has
     * passed, the shutdown goes on.
     */
    public void check() {
        if (!pending() || (!lagging().isEmpty() && engine.now() < deadlineMillis)) {
            return;
        }
        try {
            finish(request);
        } catch (ErrorReply refused) {
            end(refused);
        }
    }

    /** Logs the replicas still behind, and how many are in sync, as Redis's finishShutdown does; then stops. */
    private void finish(ServerProcess.ShutdownRequest going) {
        List<Client> behind = lagging();
        long offset = engine.replicationFeed().offset();
        int replicas = 0;
        for (Client client : engine.clients().all()) {
            replicas += client.replica() ? 1 : 0;
        }
        for (Client replica : behind) {
            long lag = replica.replicaOnline() ? (engine.now() - replica.replicaAckMillis()) / 1000 : 0;
            engine.process().log(LogLevel.WARNING, "Lagging replica " + replica.replicaName() + " reported offset "
                    + (offset - replica.replicaAckOffset()) + " behind master, lag=" + lag + ", state="
                    + replica.replicaState() + ".");
        }
        if (replicas > 0) {
            engine.process().log(LogLevel.NOTICE, (replicas - behind.size()) + " of " + replicas
                    + " replicas are in sync when shutting down.");
        }
        engine.process().shutdown(going);
    }

    private void end(ErrorReply error) {
        request = null;
        engine.pause().thaw(ClientPause.Purpose.SHUTDOWN);
        for (BlockedOperation caller : callers) {
            caller.fail(error);
        }
        callers.clear();
    }

    /** The replicas, in whatever state, that have not acknowledged the whole stream. */
    private List<Client> lagging() {
        long offset = engine.replicationFeed().offset();
        List<Client> behind = new ArrayList<>();
        for (Client client : engine.clients().all()) {
            if (client.replica() && client.replicaAckOffset() != offset) {
                behind.add(client);
            }
        }
        return behind;
    }
}
