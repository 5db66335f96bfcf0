package io.postbox.commands.connection;

import io.postbox.commands.Client;

/**
 * Which peers count as local: exactly 127.0.0.1 and ::1, and the Unix socket's clients ({@link
 * Client#local}), as Redis decides for protected mode and for the {@code local} value of
 * {@code enable-debug-command}, {@code enable-module-command} and {@code enable-protected-configs}
 * (127.0.0.2 is not local to Redis, so it is not here either).
 */
public final class Loopback {

    private Loopback() {
    }

    /**
     * Whether a protected command or config may be used by a client, {@link Client#local() local} or
     * not, by the setting that protects it: {@code yes} for every client, {@code local} for local ones,
     * {@code no} for none.
     */
    public static boolean allows(String setting, boolean local) {
        return setting.equalsIgnoreCase("yes") || setting.equalsIgnoreCase("local") && local;
    }

    /** Whether {@code address}, an {@code ip:port} or {@code [ipv6]:port} as CLIENT LIST prints it, is local. */
    public static boolean isLocal(String address) {
        return address.startsWith("127.0.0.1:") || address.startsWith("[::1]:");
    }
}
