package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;

/**
 * One client as a CLIENT LIST / CLIENT INFO line: Redis 7.0's fields, in its order, space separated.
 *
 * <p>Fields for state Postbox does not have yet read as Redis shows a client without it: no
 * subscriptions, no transaction ({@code multi=-1}). Memory fields count what Postbox keeps per
 * client: the reply bytes waiting to be written ({@code obl}, {@code tot-mem}); the query buffer is
 * Netty's and is not counted.
 */
final class ClientInfo {

    private ClientInfo() {
    }

    static String line(Client client, Engine engine) {
        long nowSeconds = engine.now() / 1000;
        long pending = client.pendingOutputBytes();
        return "id=" + client.id()
                + " addr=" + client.address()
                + " laddr=" + client.localAddress()
                + " fd=" + client.fd()
                + " name=" + client.name()
                + " age=" + (nowSeconds - client.createdMillis() / 1000)
                + " idle=" + (nowSeconds - client.lastInteractionMillis() / 1000)
                + " flags=" + flags(client, engine)
                + " db=" + client.database().index()
                + " sub=0 psub=0 ssub=0 multi=-1"
                + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
                + " obl=" + pending + " oll=0 omem=0 tot-mem=" + pending
                + " events=" + (pending > 0 ? "rw" : "r")
                + " cmd=" + (client.lastCommand() == null ? "NULL" : client.lastCommand().fullName())
                + " user=default redir=-1"
                + " resp=" + client.protocol();
    }

    /** Redis's flag letters for the states Postbox has: b blocked (or held by a pause), e no-evict. */
    private static String flags(Client client, Engine engine) {
        StringBuilder flags = new StringBuilder();
        if (client.blockedOn() != null || engine.pause().isWaiting(client)) {
            flags.append('b');
        }
        if (client.noEvict()) {
            flags.append('e');
        }
        return flags.isEmpty() ? "N" : flags.toString();
    }
}
