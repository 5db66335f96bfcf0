package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.postbox.commands.Client;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.ProtocolError;
import io.postbox.resp.QueryBufferOverflow;
import io.postbox.resp.Reply;
import io.postbox.resp.RequestLimits;
import io.postbox.resp.RespWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client connection: decoded requests in, the dispatcher in the middle, replies out.
 *
 * <p>Runs on the executor thread, which is also this channel's event loop. Replies accumulate in an
 * output buffer and are flushed by {@link PendingWrites} once the current batch of work is done, so a
 * pipeline of many commands leaves in one write.
 */
final class ClientConnection extends Client implements RequestLimits {

    private final Channel channel;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final PendingWrites pendingWrites;
    private final RespWriter writer = new RespWriter(2);
    private ByteBuf output;
    private boolean closing;

    ClientConnection(Channel channel, Engine engine, Dispatcher dispatcher, PendingWrites pendingWrites) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0),
                engine.config().getString("requirepass").isEmpty());
        this.channel = channel;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.pendingWrites = pendingWrites;
    }

    /** The Netty handler that feeds this connection. */
    ChannelInboundHandlerAdapter handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                onMessage(message);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                pendingWrites.flushAll();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                engine.clients().remove(ClientConnection.this);
                releaseOutput();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    private void onMessage(Object message) {
        if (closing) {
            return;
        }
        lastInteractionMillis(System.currentTimeMillis());
        if (message instanceof byte[][] args) {
            dispatcher.dispatch(this, args);
        } else if (message instanceof ProtocolError error) {
            reply().error(new ErrorReply("ERR " + error.message()));
            closeAfterReply();
        } else if (message instanceof QueryBufferOverflow overflow) {
            closing = true;
            channel.close();
        }
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
        return output == null ? 0 : output.readableBytes();
    }

    @Override
    public long maxBulkLength() {
        return engine.config().getLong("proto-max-bulk-len");
    }

    @Override
    public long maxQueryBuffer() {
        return engine.config().getLong("client-query-buffer-limit");
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
