package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Server-wide connection rules: timeout, maxclients, protected mode. */
class ConnectionLimitsTest {

    @Test
    void timeoutClosesIdleClientsButNotBusyOnes() throws Exception {
        // A 2 s timeout: idleness counts in whole seconds, so with 1 s a busy client whose 200 ms pause
        // a slow machine stretched could be taken for idle.
        try (InJvmPostbox postbox = InJvmPostbox.start("--timeout", "2");
             RawConnection idle = new RawConnection(postbox.port());
             RawConnection busy = new RawConnection(postbox.port())) {
            idle.call("PING");
            long deadline = System.nanoTime() + 3_600_000_000L;
            while (System.nanoTime() < deadline) {
                assertEquals("+PONG\r\n", text(busy.call("PING")));
                Thread.sleep(200);
            }
            assertTrue(idle.closedByPeer(3000), "idle for more than 2 s: closed");
            assertEquals("+PONG\r\n", text(busy.call("PING")));
        }
    }

    @Test
    void noTimeoutByDefault() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start(); RawConnection idle = new RawConnection(postbox.port())) {
            idle.call("PING");
            assertFalse(idle.closedByPeer(1500));
        }
    }

    @Test
    void maxclientsRefusesTheConnectionBeyondTheLimit() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--maxclients", "2");
             RawConnection first = new RawConnection(postbox.port());
             RawConnection second = new RawConnection(postbox.port())) {
            first.call("PING");
            second.call("PING");
            try (RawConnection third = new RawConnection(postbox.port())) {
                assertEquals("-ERR max number of clients reached\r\n", text(third.readReply()));
                assertTrue(third.closedByPeer(2000));
            }
            assertEquals(1, postbox.server().engine().stats().rejectedConnections);
            second.close();
            awaitClients(postbox, 1);
            try (RawConnection again = new RawConnection(postbox.port())) {
                assertEquals("+PONG\r\n", text(again.call("PING")), "a slot freed up");
            }
        }
    }

    @Test
    void protectedModeDeniesNonLoopbackClientsWithoutAPassword() throws Exception {
        InetAddress external = nonLoopbackAddress();
        Assumptions.assumeTrue(external != null, "protected-mode test skipped: no non-loopback IPv4 address");
        try (InJvmPostbox postbox = InJvmPostbox.start("--bind", "0.0.0.0")) {
            String denied = firstLine(external, postbox.port());
            assertTrue(denied.startsWith("-DENIED Redis is running in protected mode because protected mode is "
                    + "enabled and no password is set for the default user."), denied);
            try (RawConnection local = new RawConnection(postbox.port())) {
                assertEquals("+PONG\r\n", text(local.call("PING")), "loopback clients are served");
            }
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--bind", "0.0.0.0", "--requirepass", "s3cret")) {
            assertEquals("-NOAUTH Authentication required.", firstLine(external, postbox.port()),
                    "with a password, remote clients may connect and log in");
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--bind", "0.0.0.0", "--protected-mode", "no")) {
            assertEquals("+PONG", firstLine(external, postbox.port()));
        }
    }

    /** Connects to {@code address}, sends PING, and returns the first line the server sends back. */
    private static String firstLine(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\r') {
                line.append((char) b);
            }
            return line.toString();
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        return null;
    }

    private static void awaitClients(InJvmPostbox postbox, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (postbox.server().engine().clients().size() > count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
