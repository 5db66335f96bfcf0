package io.postbox.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.resp.RespDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running server: listening sockets and the executor.
 *
 * <p>The executor is a single Netty event loop that does the I/O of every connection and runs every
 * command, as Redis's main thread does. On a 2-core machine this beats handing commands from I/O
 * threads to a separate executor, and it makes every command atomic without locks.
 */
public final class PostboxServer implements AutoCloseable {

    /** Postbox's own version, reported beside the Redis version it matches. */
    public static final String VERSION = "0.1.0";

    private final Config config;
    private final ServerLog log;
    private final EventLoopGroup executor;
    private final Class<? extends ServerChannel> channelType;
    private final List<Channel> listeners = new ArrayList<>();
    private Engine engine;

    public PostboxServer(Config config, ServerLog log) {
        this.config = config;
        this.log = log;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.executor = new MultiThreadIoEventLoopGroup(1, runnable -> {
            Thread thread = new Thread(runnable, "postbox-executor");
            thread.setDaemon(false);
            return thread;
        }, io);
        this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Binds the configured addresses; returns once the server accepts connections. */
    public void start() throws InterruptedException {
        engine = new Engine(config, Commands.groups());
        Dispatcher dispatcher = new Dispatcher(engine);
        PendingWrites pendingWrites = new PendingWrites();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(executor)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, (int) config.getLong("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.getLong("tcp-keepalive") > 0)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ClientConnection connection = new ClientConnection(channel, engine, dispatcher, pendingWrites);
                        engine.clients().add(connection);
                        engine.stats().connectionsReceived++;
                        channel.pipeline().addLast(new RespDecoder(connection), connection.handler());
                    }
                });
        scheduleCron(executor.next());
        int port = (int) config.getLong("port");
        for (String address : config.getString("bind").trim().split("\\s+")) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            try {
                listeners.add(bootstrap.bind(new InetSocketAddress(host, port)).sync().channel());
            } catch (Exception e) {
                if (!optional) {
                    throw new IllegalStateException("Could not create server TCP listening socket " + host + ":" + port
                            + ": " + e.getMessage(), e);
                }
                log.warning("Could not bind optional address " + host + ":" + port + ": " + e.getMessage());
            }
        }
        log.notice("Postbox " + VERSION + " (Redis " + Engine.REDIS_VERSION + " compatible) port=" + port()
                + " pid=" + ProcessHandle.current().pid() + " transport=" + (Epoll.isAvailable() ? "epoll" : "nio"));
        log.notice("Ready to accept connections tcp");
    }

    /** Runs the engine's cron on the executor every period, rescheduling itself so hz can change. */
    private void scheduleCron(EventLoop loop) {
        loop.schedule(() -> {
            try {
                engine.cron();
            } finally {
                if (!loop.isShuttingDown()) {
                    scheduleCron(loop);
                }
            }
        }, engine.cronPeriodMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port actually bound (useful with {@code --port 0}). */
    public int port() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        executor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
