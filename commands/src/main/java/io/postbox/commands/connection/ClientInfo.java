package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.ClientMemory;
import io.postbox.commands.Engine;
import io.postbox.commands.pubsub.Subscriptions;
import io.postbox.commands.tracking.TrackingMode;
import io.postbox.commands.transactions.Transaction;

/**
 * One client as a CLIENT LIST / CLIENT INFO line: Redis 7.0's fields, in its order, space separated.
 *
 * <p>Fields for state Postbox does not have read as Redis shows a client without it (no fixed reply
 * buffer: {@code rbs} and {@code rbp} are 0). Memory fields count what Postbox keeps per client: input
 * not run yet ({@code qbuf}, with {@code qbuf-free} bytes allocated beyond it), the arguments of the
 * request being received ({@code argv-mem}), the transaction ({@code multi-mem}), replies not yet
 * handed to the socket ({@code obl}), the buffers handed to it and not yet written ({@code oll}
 * buffers of {@code omem} bytes), and all the client takes ({@code tot-mem}, {@link ClientMemory}).
 */
public final class ClientInfo {

    private ClientInfo() {
    }

    /** The line for {@code client}, without a newline (also what log lines about a client show). */
    public static String line(Client client, Engine engine) {
        long nowSeconds = engine.now() / 1000;
        long pending = client.pendingOutputBytes();
        long queued = client.queuedOutputBytes();
        Subscriptions subscriptions = client.subscriptions();
        Transaction transaction = client.transaction();
        return "id=" + client.id()
                + " addr=" + client.address()
                + " laddr=" + client.localAddress()
                + " fd=" + client.fd()
                + " name=" + client.name()
                + " age=" + (nowSeconds - client.createdMillis() / 1000)
                + " idle=" + (nowSeconds - client.lastInteractionMillis() / 1000)
                + " flags=" + flags(client, engine)
                + " db=" + client.database().index()
                + " sub=" + (subscriptions == null ? 0 : subscriptions.channelCount())
                + " psub=" + (subscriptions == null ? 0 : subscriptions.patternCount())
                + " ssub=" + (subscriptions == null ? 0 : subscriptions.shardChannelCount())
                + " multi=" + (transaction == null ? -1 : transaction.queuedCount())
                + " qbuf=" + client.queryBufferBytes() + " qbuf-free=" + client.queryBufferFree()
                + " argv-mem=" + client.argumentBytes() + " multi-mem=" + ClientMemory.transaction(client)
                + " rbs=0 rbp=0"
                + " obl=" + (pending - queued) + " oll=" + client.queuedOutputBuffers() + " omem=" + queued
                + " tot-mem=" + ClientMemory.of(client)
                + " events=" + (pending > 0 ? "rw" : "r")
                + " cmd=" + (client.lastCommand() == null ? "NULL" : client.lastCommand().fullName())
                + " user=" + (client.user() == null ? "(superuser)" : client.user().name())
                + " redir=" + (client.tracking() == null ? -1 : client.tracking().redirect())
                + " resp=" + client.protocol();
    }

    /**
     * Redis's flag letters, in its order, for the states Postbox has: O monitor, S replica, M master, P
     * pub/sub, x in MULTI, b blocked (or held by a pause), t tracking keys (R its redirection broken, B
     * by prefix), d a watched key changed, U the Unix socket, e no-evict.
     */
    private static String flags(Client client, Engine engine) {
        StringBuilder flags = new StringBuilder();
        Transaction transaction = client.transaction();
        if (client.monitoring()) {
            flags.append('O');
        } else if (client.replica()) {
            flags.append('S');
        } else if (client.master()) {
            flags.append('M');
        }
        if (client.subscribed()) {
            flags.append('P');
        }
        if (transaction != null && transaction.open()) {
            flags.append('x');
        }
        if (client.blockedOn() != null || engine.pause().isWaiting(client)) {
            flags.append('b');
        }
        TrackingMode tracking = client.tracking();
        if (tracking != null) {
            flags.append('t');
            if (tracking.brokenRedirect()) {
                flags.append('R');
            }
            if (tracking.broadcast()) {
                flags.append('B');
            }
        }
        if (transaction != null && transaction.dirty()) {
            flags.append('d');
        }
        if (client.unixSocket()) {
            flags.append('U');
        }
        if (client.noEvict()) {
            flags.append('e');
        }
        return flags.isEmpty() ? "N" : flags.toString();
    }
}
