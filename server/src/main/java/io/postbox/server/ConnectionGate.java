package io.postbox.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import io.postbox.commands.Engine;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Decides whether a new connection may become a client, as Redis's accept handler does: not beyond
 * {@code maxclients}, and, in protected mode without a password, only from the loopback interface.
 * A refused connection gets Redis's error line and is closed.
 */
final class ConnectionGate {

    private static final String MAX_CLIENTS = "-ERR max number of clients reached\r\n";
    private static final String PROTECTED = "-DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. In this mode connections are only "
            + "accepted from the loopback interface. If you want to connect from external computers to Redis you "
            + "may adopt one of the following solutions: 1) Just disable protected mode sending the command "
            + "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same "
            + "host the server is running, however MAKE SURE Redis is not publicly accessible from internet if "
            + "you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable "
            + "the protected mode by editing the Redis configuration file, and setting the protected mode option "
            + "to 'no', and then restarting the server. 3) If you started the server manually just for testing, "
            + "restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the "
            + "default user. NOTE: You only need to do one of the above things in order for the server to start "
            + "accepting connections from the outside.\r\n";

    private final Engine engine;

    ConnectionGate(Engine engine) {
        this.engine = engine;
    }

    /** True if the connection may proceed; otherwise it has been answered and is closing. */
    boolean admit(SocketChannel channel) {
        if (engine.clients().size() >= engine.config().getLong("maxclients")) {
            engine.stats().rejectedConnections++;
            refuse(channel, MAX_CLIENTS);
            return false;
        }
        // Redis counts the connection here, before the protected-mode check.
        engine.stats().connectionsReceived++;
        if (engine.config().getBool("protected-mode") && engine.config().getString("requirepass").isEmpty()
                && !isLoopback(channel.remoteAddress())) {
            refuse(channel, PROTECTED);
            return false;
        }
        return true;
    }

    private static boolean isLoopback(InetSocketAddress remote) {
        return remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
    }

    private static void refuse(SocketChannel channel, String line) {
        channel.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
