package io.postbox.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.postbox.commands.config.InvalidConfigValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The listening sockets for {@code bind} and {@code port}. {@code *} is every IPv4 address and
 * {@code ::*} every IPv6 one; a '-' prefix makes an address optional (skipped if it cannot be bound).
 * Given both wildcards, one IPv6 socket serves both families (a JVM cannot set IPV6_V6ONLY, so
 * binding both would collide); without IPv6 the IPv4 wildcard is used.
 *
 * <p>{@link #bindAtStartup} runs on the thread the executor's loop is lent to at startup; {@link #rebind} runs on
 * the executor (CONFIG SET port or bind), so it must not wait for Netty: it proves the new addresses
 * can be bound with throwaway sockets, then binds for real asynchronously.
 */
final class Listeners {

    /** One address to listen on. */
    private record Target(InetSocketAddress address, boolean optional) {
    }

    private final ServerBootstrap bootstrap;
    private final ServerLog log;
    private List<Channel> channels = new ArrayList<>();
    private int port;
    private List<String> bound = List.of();

    Listeners(ServerBootstrap bootstrap, ServerLog log) {
        this.bootstrap = bootstrap;
        this.log = log;
    }

    /** Binds, with {@code await} returning once a bind is done: it drives the loop meanwhile. */
    void bindAtStartup(List<String> addresses, int port, Consumer<ChannelFuture> await) {
        List<Channel> opened = new ArrayList<>();
        for (Target target : targets(addresses, port)) {
            ChannelFuture future = bootstrap.bind(target.address());
            await.accept(future);
            if (future.isSuccess()) {
                opened.add(future.channel());
            } else if (target.optional()) {
                log.warning("Could not bind optional address " + describe(target.address()) + ": "
                        + future.cause().getMessage());
            } else {
                opened.forEach(Channel::close);
                throw new IllegalStateException("Could not create server TCP listening socket "
                        + describe(target.address()) + ": " + future.cause().getMessage(), future.cause());
            }
        }
        channels = opened;
        this.port = opened.isEmpty() ? port : localPort(opened.get(0));
        this.bound = List.copyOf(addresses);
    }

    /**
     * Listens on new addresses or a new port. As Redis does, the old sockets close first (so the same
     * port can be bound again); if a required new address cannot be bound, the old ones are bound
     * again and nothing changes.
     *
     * @throws InvalidConfigValue with {@code reason} if a required address cannot be bound
     */
    void rebind(List<String> addresses, int newPort, String reason) {
        if (addresses.equals(bound) && newPort == port) {
            return;
        }
        // On the executor, close() takes effect at once: the ports are free for the probes below.
        channels.forEach(Channel::close);
        channels = new ArrayList<>();
        List<Target> usable = new ArrayList<>();
        for (Target target : targets(addresses, newPort)) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(target.address());
                usable.add(target);
            } catch (IOException e) {
                if (!target.optional()) {
                    log.warning("Could not create server TCP listening socket " + describe(target.address()) + ": "
                            + e.getMessage());
                    bindLater(targets(bound, port), port);
                    throw new InvalidConfigValue(reason);
                }
            }
        }
        bound = List.copyOf(addresses);
        bindLater(usable, newPort);
    }

    /** Binds from the executor without waiting; the sockets join {@link #channels} as they open. */
    private void bindLater(List<Target> targets, int newPort) {
        List<Channel> fresh = channels;
        port = newPort;
        for (Target target : targets) {
            bootstrap.bind(target.address()).addListener((ChannelFuture future) -> {
                if (future.isSuccess()) {
                    fresh.add(future.channel());
                    if (newPort == 0 && fresh.size() == 1) {
                        port = localPort(future.channel());
                    }
                } else if (!target.optional()) {
                    log.warning("Could not bind " + describe(target.address()) + ": " + future.cause().getMessage());
                }
            });
        }
    }

    /** The port clients connect to (the one chosen by the system for port 0). */
    int port() {
        return port;
    }

    void closeAll() {
        channels.forEach(Channel::close);
    }

    private static List<Target> targets(List<String> addresses, int port) {
        boolean merge = (addresses.contains("*") || addresses.contains("-*"))
                && (addresses.contains("::*") || addresses.contains("-::*"));
        boolean ipv6 = merge && ipv6Available();
        List<Target> targets = new ArrayList<>();
        for (String address : addresses) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            if (merge && host.equals("*") && ipv6) {
                continue;
            }
            if (merge && host.equals("::*")) {
                if (!ipv6) {
                    continue;
                }
                // This socket carries IPv4 too, so it is required if the IPv4 wildcard was.
                optional = optional && !addresses.contains("*");
            }
            String resolved = switch (host) {
                case "*" -> "0.0.0.0";
                case "::*" -> "::";
                default -> host;
            };
            targets.add(new Target(new InetSocketAddress(resolved, port), optional));
        }
        return targets;
    }

    private static boolean ipv6Available() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int localPort(Channel channel) {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
