package io.postbox.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * The connections a test opens to "postbox" (a class's {@link InJvmPostboxExtension}) or "redis" (the
 * reference Redis, or the test is skipped), and the threads its blocking calls wait on: all closed
 * after each test, so a client the test left blocked does not outlive it. Register it on an instance
 * field, after the server's extension:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
 * &#64;RegisterExtension
 * final SideBySideClients clients = new SideBySideClients(postbox);
 * </pre>
 *
 * and run the test once per server with {@code @MethodSource(SideBySideClients.SERVERS)}.
 */
public final class SideBySideClients implements AfterEachCallback {

    /** The method source of {@link #servers}, for {@code @MethodSource}. */
    public static final String SERVERS = "io.postbox.it.support.SideBySideClients#servers";
    private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    private final InJvmPostboxExtension postbox;
    private final ExecutorService background = Executors.newCachedThreadPool();
    private final List<AutoCloseable> opened = new ArrayList<>();

    public SideBySideClients(InJvmPostboxExtension postbox) {
        this.postbox = postbox;
    }

    /** The servers a test runs against, by the names this class takes. */
    public static Stream<String> servers() {
        return Stream.of("postbox", "redis");
    }

    public int port(String server) {
        return server.equals("postbox") ? postbox.port() : ReferenceRedis.require().port();
    }

    /** A Jedis connection to {@code server}. */
    public Jedis jedis(String server) {
        Jedis jedis = new Jedis("127.0.0.1", port(server), SOCKET_TIMEOUT_MILLIS);
        opened.add(jedis);
        return jedis;
    }

    /** A connection to {@code server} that sends and reads raw RESP. */
    public RawConnection raw(String server) {
        try {
            RawConnection connection = new RawConnection(port(server));
            opened.add(connection);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code call} on a thread of its own: a blocking command the test then acts on. */
    public <T> Future<T> inBackground(Callable<T> call) {
        return background.submit(call);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (AutoCloseable connection : opened) {
            try {
                connection.close();
            } catch (Exception alreadyClosed) {
                // A connection the test closed, or the server dropped.
            }
        }
        background.shutdownNow();
    }
}
