package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.postbox.it.support.CaseFile;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import io.postbox.it.support.RespValue;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case in {@code src/test/resources/sidebyside/*.redis} against Postbox and a reference
 * Redis, and compares each reply byte for byte (or by shape, for {@code ~} lines), once over RESP2 and
 * once over RESP3. Configuration changed by a case is set back afterwards on both servers, whether or
 * not the case passed. {@code -Dsidebyside.file=strings} runs only files whose name contains that text.
 */
class SideBySideTest {

    @TestFactory
    Stream<DynamicNode> postboxAnswersAsRedisDoes() throws IOException, URISyntaxException {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        String only = System.getProperty("sidebyside.file", "");
        Path dir = Path.of(SideBySideTest.class.getResource("/sidebyside").toURI());
        List<DynamicNode> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(dir)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".redis")).sorted().toList()) {
                if (!file.getFileName().toString().contains(only)) {
                    continue;
                }
                List<DynamicNode> tests = new ArrayList<>();
                for (CaseFile.Case c : CaseFile.parse(file)) {
                    for (int protocol : c.protocols()) {
                        tests.add(DynamicTest.dynamicTest(c.title() + " [RESP" + protocol + "]",
                                () -> run(c, protocol, reference.port(), postbox.port())));
                    }
                }
                files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), tests));
            }
        }
        return files.stream();
    }

    private static void run(CaseFile.Case c, int protocol, int referencePort, int postboxPort) throws Exception {
        flushAll(referencePort);
        flushAll(postboxPort);
        Map<String, String> redisConfig = config(referencePort);
        Map<String, String> postboxConfig = config(postboxPort);
        try {
            runSteps(c, protocol, referencePort, postboxPort);
        } finally {
            restoreConfig(referencePort, redisConfig);
            restoreConfig(postboxPort, postboxConfig);
            resetUsers(referencePort);
            resetUsers(postboxPort);
        }
    }

    private static void runSteps(CaseFile.Case c, int protocol, int referencePort, int postboxPort) throws Exception {
        try (RawConnection redis = new RawConnection(referencePort);
             RawConnection postbox = new RawConnection(postboxPort)) {
            if (protocol == 3) {
                redis.call("HELLO", "3");
                postbox.call("HELLO", "3");
            }
            for (CaseFile.Step step : c.steps()) {
                if (step.command() == null) {
                    Thread.sleep(step.sleepMillis());
                    continue;
                }
                byte[] expected = redis.call(step.command(), step.replies());
                byte[] actual;
                try {
                    actual = postbox.call(step.command(), step.replies());
                } catch (IOException e) {
                    fail(where(c, step, protocol) + "\n  redis:   " + ReplyShape.printable(expected)
                            + "\n  postbox: " + e.getMessage());
                    return;
                }
                if (step.shapeOnly()) {
                    assertEquals(ReplyShape.of(expected), ReplyShape.of(actual), where(c, step, protocol)
                            + " (shape)\n  redis:   " + ReplyShape.printable(expected)
                            + "\n  postbox: " + ReplyShape.printable(actual));
                } else {
                    assertEquals(ReplyShape.printable(expected), ReplyShape.printable(actual),
                            where(c, step, protocol));
                }
            }
        }
    }

    private static String where(CaseFile.Case c, CaseFile.Step step, int protocol) {
        return c.file() + ":" + step.lineNumber() + " [RESP" + protocol + "] " + step.text();
    }

    /** Every configuration value, so a case that changes one (and perhaps fails) leaves nothing behind. */
    private static Map<String, String> config(int port) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (RawConnection admin = new RawConnection(port)) {
            List<RespValue> pairs = RespValue.parse(admin.call("CONFIG", "GET", "*")).elements();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                values.put(pairs.get(i).text(), pairs.get(i + 1).text());
            }
        }
        return values;
    }

    private static void restoreConfig(int port, Map<String, String> before) throws IOException {
        Map<String, String> now = config(port);
        try (RawConnection admin = new RawConnection(port)) {
            for (Map.Entry<String, String> option : before.entrySet()) {
                if (!option.getValue().equals(now.get(option.getKey()))) {
                    admin.call("CONFIG", "SET", option.getKey(), option.getValue());
                }
            }
        }
    }

    /** Deletes the users a case made and clears the ACL log; cases that change the default user restore it. */
    private static void resetUsers(int port) throws IOException {
        try (RawConnection admin = new RawConnection(port)) {
            for (RespValue user : RespValue.parse(admin.call("ACL", "USERS")).elements()) {
                if (!user.text().equals("default")) {
                    admin.call("ACL", "DELUSER", user.text());
                }
            }
            admin.call("ACL", "LOG", "RESET");
        }
    }

    private static void flushAll(int port) throws IOException {
        try (RawConnection admin = new RawConnection(port)) {
            admin.call("FLUSHALL");
        }
    }
}
