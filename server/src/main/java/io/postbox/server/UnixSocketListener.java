package io.postbox.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.unix.DomainSocketAddress;
import io.postbox.commands.Strerror;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code unixsocket} listener: clients on this host connect through a socket file, as Redis's do,
 * and are served as TCP clients are. As Redis does, the file is removed before the bind (a server that
 * was killed leaves it behind), given {@code unixsocketperm} if that is set, and removed at shutdown.
 */
final class UnixSocketListener {

    private final Path path;
    private final Channel channel;
    private final ServerLog log;

    private UnixSocketListener(Path path, Channel channel, ServerLog log) {
        this.path = path;
        this.channel = channel;
        this.log = log;
    }

    /**
     * Binds {@code path} with {@code bootstrap} (a domain socket channel's), {@code await} returning once
     * the bind is done.
     *
     * @param permissions the file's mode, as {@code unixsocketperm} gives it (0777 at most); 0 leaves it
     * @throws IllegalStateException in Redis's words if the socket cannot be opened
     */
    static UnixSocketListener open(ServerBootstrap bootstrap, Path path, long permissions, ServerLog log,
                                   Consumer<ChannelFuture> await) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw failed(Strerror.describe(e), e);
        }
        ChannelFuture bound = bootstrap.bind(new DomainSocketAddress(path.toString()));
        await.accept(bound);
        if (!bound.isSuccess()) {
            throw failed(callFailure(bound.cause()), bound.cause());
        }
        UnixSocketListener listener = new UnixSocketListener(path, bound.channel(), log);
        if (permissions != 0) {
            try {
                Files.setPosixFilePermissions(path, mode(permissions));
            } catch (IOException e) {
                listener.close();
                throw failed(Strerror.describe(e), e);
            }
        }
        return listener;
    }

    void close() {
        channel.close();
        log.notice("Removing the unix socket file.");
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warning("Error removing the unix socket file: " + Strerror.describe(e));
        }
    }

    /** Netty's "bind(..) failed with error(-2): No such file or directory" as Redis says it: "bind: No such ...". */
    private static String callFailure(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        int reason = message.indexOf("): ");
        return message.startsWith("bind(..)") && reason > 0 ? "bind: " + message.substring(reason + 3) : message;
    }

    private static IllegalStateException failed(String reason, Throwable cause) {
        return new IllegalStateException("Failed opening Unix socket: " + reason, cause);
    }

    /** {@code bits} (0777-style: owner, group, others; read, write, execute) as file permissions. */
    private static Set<PosixFilePermission> mode(long bits) {
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < order.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                mode.add(order[i]);
            }
        }
        return mode;
    }
}
