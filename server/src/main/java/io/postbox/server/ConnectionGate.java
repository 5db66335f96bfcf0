package io.postbox.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.postbox.commands.Engine;
import java.nio.charset.StandardCharsets;

/**
 * Decides whether a new connection may become a client, as Redis's accept handler does: not beyond
 * {@code maxclients}, and, in protected mode without a password, only from the loopback interface
 * (exactly 127.0.0.1 or ::1: Redis 7.0 denies 127.0.0.2). A refused connection gets Redis's error
 * line and is closed.
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

    /**
     * True if the connection may proceed; otherwise it has been answered and is closing. Redis 7.0.15
     * counts a refused connection as rejected and not as received, for both reasons (checked against
     * the reference's INFO stats).
     */
    boolean admit(Channel channel) {
        if (engine.clients().size() >= engine.config().getLong("maxclients")) {
            refuse(channel, MAX_CLIENTS);
            return false;
        }
        if (engine.config().getBool("protected-mode") && !engine.passwordSet()
                && !ClientConnection.isLocal(channel)) {
            refuse(channel, PROTECTED);
            return false;
        }
        engine.stats().connectionsReceived++;
        return true;
    }

    private void refuse(Channel channel, String line) {
        engine.stats().rejectedConnections++;
        channel.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
