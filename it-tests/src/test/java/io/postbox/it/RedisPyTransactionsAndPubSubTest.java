package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.Subprocess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis-py, as queue code uses it, against Postbox: transactional pipelines with a WATCH retry loop
 * from several processes at once, and pubsub() with a channel and a pattern. The scripts are in
 * {@code src/test/resources/python}; each asserts what it can see and prints its counts.
 */
class RedisPyTransactionsAndPubSubTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    @BeforeAll
    static void requireRedisPy() throws Exception {
        Assumptions.assumeTrue(Subprocess.run(List.of("/usr/bin/python3", "-c", "import redis"), null, 30).exitCode() == 0,
                "redis-py test skipped: /usr/bin/python3 cannot import redis (apt-get install python3-redis)");
    }

    @Test
    void watchRetryLoopsUnderContentionCountEveryIncrementOnce() throws Exception {
        Subprocess.Result result = python("watch_retry.py", "4", "250");
        assertEquals(0, result.exitCode(), result.output());
        Matcher counts = Pattern.compile("counter=(\\d+) log=(\\d+) retries=(\\d+)").matcher(result.output());
        assertTrue(counts.find(), result.output());
        assertEquals("1000", counts.group(1), "every increment landed once: " + result.output());
        assertEquals("1000", counts.group(2), "every transaction's push landed once: " + result.output());
    }

    @Test
    void pubsubWithChannelAndPatternReceivesEveryMessageInOrder() throws Exception {
        Subprocess.Result result = python("pubsub_order.py", "4000");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("news=2000 sports=2000 in-order"), result.output());
    }

    private Subprocess.Result python(String script, String... args) throws Exception {
        Path path = Path.of(getClass().getResource("/python/" + script).toURI());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", path.toString(),
                Integer.toString(postbox.port())));
        command.addAll(List.of(args));
        return Subprocess.run(command, null, 180);
    }
}
