package io.postbox.it.support;

import redis.clients.jedis.Jedis;

/**
 * The clients a server counts as blocked (INFO blocked_clients), for tests that must know a blocking
 * command has reached the server before they feed it: a sleep only guesses, on a slow machine wrongly.
 */
public final class BlockedClients {

    private BlockedClients() {
    }

    public static int blockedClients(Jedis admin) {
        String info = admin.info("clients");
        int at = info.indexOf("blocked_clients:") + "blocked_clients:".length();
        return Integer.parseInt(info.substring(at, info.indexOf('\r', at)));
    }

    /** Polls until {@code expected} clients are blocked; fails after 10 seconds. */
    public static void awaitBlocked(Jedis admin, int expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (blockedClients(admin) != expected) {
            if (System.currentTimeMillis() >= deadline) {
                throw new AssertionError("blocked_clients never reached " + expected);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
