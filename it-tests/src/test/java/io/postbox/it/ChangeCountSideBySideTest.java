package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.postbox.it.support.CaseFile;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Writes count changes as Redis's dirty counter does, which is what save points ({@code save 60 10000})
 * and INFO's rdb_changes_since_last_save read: every case of {@code change-counts.redis} runs on a
 * reference Redis and on Postbox, and the change count of its last step must be the same on both.
 */
class ChangeCountSideBySideTest {

    @TestFactory
    Stream<DynamicTest> writesCountChangesAsRedisDoes() throws IOException, URISyntaxException {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        Path file = Path.of(ChangeCountSideBySideTest.class.getResource("/change-counts.redis").toURI());
        return CaseFile.parse(file).stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> {
            String where = c.file() + ":" + c.steps().get(c.steps().size() - 1).lineNumber();
            assertEquals(changes(reference.port(), c), changes(postbox.port(), c), where);
        }));
    }

    /**
     * Runs the case from an empty server; the changes its last step counted. A {@code *0} step is sent
     * from a connection of its own, to block: the last step starts once it does, and its reply is read
     * after the last step, so that the count includes serving it.
     */
    private static long changes(int port, CaseFile.Case c) throws IOException, InterruptedException {
        try (RawConnection connection = new RawConnection(port); RawConnection waiter = new RawConnection(port)) {
            connection.call("FLUSHALL");
            List<CaseFile.Step> steps = c.steps();
            int waiting = 0;
            for (CaseFile.Step step : steps.subList(0, steps.size() - 1)) {
                if (step.command() != null && step.replies() == 0) {
                    waiter.send(step.command());
                    waiting++;
                } else {
                    run(connection, step);
                }
            }
            awaitBlocked(connection, waiting);
            long before = changesSinceSave(connection);
            run(connection, steps.get(steps.size() - 1));
            for (int i = 0; i < waiting; i++) {
                byte[] reply = waiter.readReply();
                assertNotEquals((byte) '-', reply[0], "the waiter got " + ReplyShape.printable(reply));
            }
            return changesSinceSave(connection) - before;
        }
    }

    private static void awaitBlocked(RawConnection connection, int clients) throws IOException, InterruptedException {
        for (int tries = 0; tries < 500; tries++) {
            String info = new String(connection.call("INFO", "clients"), StandardCharsets.ISO_8859_1);
            if (Integer.parseInt(InfoFields.parse(info).get("blocked_clients")) >= clients) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(clients + " clients never blocked");
    }

    /**
     * Runs a command, which must succeed (a case whose steps fail would compare nothing), or pauses for
     * a {@code !sleep} step.
     */
    private static void run(RawConnection connection, CaseFile.Step step) throws IOException, InterruptedException {
        if (step.command() == null) {
            Thread.sleep(step.sleepMillis());
            return;
        }
        byte[] reply = connection.call(step.command());
        assertNotEquals((byte) '-', reply[0], step.text() + " replied " + ReplyShape.printable(reply));
    }

    private static long changesSinceSave(RawConnection connection) throws IOException {
        String info = new String(connection.call("INFO", "persistence"), StandardCharsets.ISO_8859_1);
        return Long.parseLong(InfoFields.parse(info).get("rdb_changes_since_last_save"));
    }
}
