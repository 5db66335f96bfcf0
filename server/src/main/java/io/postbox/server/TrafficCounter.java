package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.postbox.commands.Stats;

/** Counts bytes and reads arriving from clients, for INFO's total_net_input_bytes and total_reads_processed. */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelInboundHandlerAdapter {

    private final Stats stats;

    TrafficCounter(Stats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf bytes) {
            stats.netInputBytes += bytes.readableBytes();
            stats.readsProcessed++;
        }
        ctx.fireChannelRead(message);
    }
}
