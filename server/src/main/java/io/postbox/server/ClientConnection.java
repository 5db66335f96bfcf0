package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.postbox.commands.Client;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.config.ConfigOption;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.ProtocolError;
import io.postbox.resp.QueryBufferOverflow;
import io.postbox.resp.Reply;
import io.postbox.resp.RequestLimits;
import io.postbox.resp.RespWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection: decoded requests in, the dispatcher in the middle, replies out.
 *
 * <p>Runs on the executor thread, which is also this channel's event loop. Replies accumulate in an
 * output buffer and are flushed by {@link PendingWrites} once the current batch of work is done, so a
 * pipeline of many commands leaves in one write.
 *
 * <p>Backpressure: a client that sends faster than it reads its replies is paused. Output is flushed
 * early once it reaches the channel's high-water mark; while the channel is then unwritable, reading
 * stops (autoRead off) and requests already decoded wait in {@link #deferred} instead of running, so
 * replies cannot pile up in memory. When the client has read enough to make the channel writable
 * again, the deferred requests run and reading resumes.
 */
final class ClientConnection extends Client implements RequestLimits {

    private final Channel channel;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final PendingWrites pendingWrites;
    private final ServerLog log;
    private final RespWriter writer = new RespWriter(2);
    /** The decoder asks for these per argument: held as options, so no lookup by name each time. */
    private final ConfigOption<Long> maxBulkLength;
    private final ConfigOption<Long> maxQueryBuffer;
    /** Decoded requests that wait, in order, while the client is paused. */
    private final ArrayDeque<Object> deferred = new ArrayDeque<>();
    private ByteBuf output;
    private boolean closing;

    ClientConnection(Channel channel, Engine engine, Dispatcher dispatcher, PendingWrites pendingWrites, ServerLog log) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0),
                engine.config().getString("requirepass").isEmpty());
        this.channel = channel;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.pendingWrites = pendingWrites;
        this.log = log;
        this.maxBulkLength = engine.config().option("proto-max-bulk-len");
        this.maxQueryBuffer = engine.config().option("client-query-buffer-limit");
    }

    /** The Netty handler that feeds this connection. */
    ChannelInboundHandlerAdapter handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                // An overflow closes the client at once, deferred requests and unsent replies included, as in Redis.
                if ((!deferred.isEmpty() || !channel.isWritable()) && !(message instanceof QueryBufferOverflow)) {
                    deferred.add(message);
                    channel.config().setAutoRead(false);
                } else {
                    process(message);
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                pendingWrites.flushAll();
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                // Fired from inside a write; resuming runs commands, so it waits for its own turn.
                if (channel.isWritable()) {
                    channel.eventLoop().execute(ClientConnection.this::resume);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                engine.clients().remove(ClientConnection.this);
                deferred.clear();
                releaseOutput();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    private void process(Object message) {
        onMessage(message);
        if (output != null && output.readableBytes() >= channel.config().getWriteBufferHighWaterMark()) {
            flush();
        }
    }

    /** Runs the requests deferred while the client was paused, then reads again if it is still writable. */
    private void resume() {
        while (!deferred.isEmpty() && channel.isWritable()) {
            process(deferred.poll());
        }
        pendingWrites.flushAll();
        if (deferred.isEmpty() && channel.isWritable() && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    private void onMessage(Object message) {
        if (closing) {
            return;
        }
        lastInteractionMillis(System.currentTimeMillis());
        if (message instanceof byte[][] args) {
            dispatcher.dispatch(this, args);
        } else if (message instanceof ProtocolError error) {
            // Counted as an error reply (errorstat_ERR), as Redis does.
            engine.stats().error("ERR");
            reply().error(new ErrorReply("ERR " + error.message()));
            log.verbose("Protocol error (" + error.reason() + ") from client: " + describe());
            closeAfterReply();
        } else if (message instanceof QueryBufferOverflow overflow) {
            log.warning("Closing client that reached max query buffer length: " + describe()
                    + " qbuf=" + overflow.bytes() + " (qbuf initial bytes: " + QuotedBytes.of(overflow.head()) + ")");
            closing = true;
            channel.close();
        }
    }

    /** Who the client is, for log lines: the first fields of CLIENT LIST. */
    private String describe() {
        return "id=" + id() + " addr=" + address() + " laddr=" + localAddress() + " name=" + name();
    }

    @Override
    public Reply reply() {
        if (output == null) {
            output = channel.alloc().buffer();
            writer.target(output);
            pendingWrites.add(this);
        }
        return writer;
    }

    /** Sends what has accumulated; called by {@link PendingWrites}. */
    void flush() {
        if (output == null) {
            return;
        }
        ByteBuf ready = output;
        output = null;
        writer.target(null);
        engine.stats().netOutputBytes += ready.readableBytes();
        engine.stats().writesProcessed++;
        if (closing) {
            channel.writeAndFlush(ready).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(ready, channel.voidPromise());
            if (!channel.isWritable() && channel.isActive()) {
                // The client is not reading fast enough: stop reading from it until it catches up.
                channel.config().setAutoRead(false);
            }
        }
    }

    @Override
    public void protocol(int protocol) {
        writer.protocol(protocol);
    }

    @Override
    public int protocol() {
        return writer.protocol();
    }

    @Override
    public String address() {
        return format(channel.remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(channel.localAddress());
    }

    @Override
    public void closeAfterReply() {
        closing = true;
        reply();
    }

    /** Closes the connection at once, dropping unsent replies (the server is stopping). */
    void closeNow() {
        closing = true;
        releaseOutput();
        channel.close();
    }

    @Override
    public long pendingOutputBytes() {
        ChannelOutboundBuffer written = channel.unsafe().outboundBuffer();
        return (output == null ? 0 : output.readableBytes()) + (written == null ? 0 : written.totalPendingWriteBytes());
    }

    @Override
    public long maxBulkLength() {
        return maxBulkLength.value();
    }

    @Override
    public long maxQueryBuffer() {
        return maxQueryBuffer.value();
    }

    private void releaseOutput() {
        if (output != null) {
            output.release();
            output = null;
            writer.target(null);
        }
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
