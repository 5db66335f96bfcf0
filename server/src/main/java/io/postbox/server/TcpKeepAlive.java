package io.postbox.server;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * The {@code tcp-keepalive} option, applied to each new connection as Redis's anetKeepAlive does:
 * probes start after that many seconds idle, repeat every third of it (at least 1 s), and 3 failed
 * probes close the connection. 0 turns keepalive off.
 */
final class TcpKeepAlive {

    private TcpKeepAlive() {
    }

    /** Like Redis, a value the kernel refuses (Linux takes at most 32767 s) leaves the defaults. */
    static void apply(SocketChannel channel, long seconds) {
        try {
            channel.config().setOption(ChannelOption.SO_KEEPALIVE, seconds > 0);
            if (seconds <= 0) {
                return;
            }
            int idle = (int) Math.min(seconds, Integer.MAX_VALUE);
            int interval = Math.max(1, idle / 3);
            if (channel.config().setOption(EpollChannelOption.TCP_KEEPIDLE, idle)) {
                channel.config().setOption(EpollChannelOption.TCP_KEEPINTVL, interval);
                channel.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
            } else {
                channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle);
                channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval);
                channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 3);
            }
        } catch (ChannelException refused) {
            // The connection works without the tuning, as Redis's does when setsockopt fails.
        }
    }
}
