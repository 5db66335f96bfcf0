package io.postbox.commands.connection;

/**
 * Which peers count as local: exactly 127.0.0.1 and ::1, as Redis decides for protected mode and for
 * {@code enable-debug-command local} (127.0.0.2 is not local to Redis, so it is not here either).
 */
public final class Loopback {

    private Loopback() {
    }

    /** Whether {@code address}, an {@code ip:port} or {@code [ipv6]:port} as CLIENT LIST prints it, is local. */
    public static boolean isLocal(String address) {
        return address.startsWith("127.0.0.1:") || address.startsWith("[::1]:");
    }
}
