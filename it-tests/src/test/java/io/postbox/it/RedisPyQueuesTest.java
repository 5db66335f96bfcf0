package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.Subprocess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESIGN.md's FIFO and reliable queues as redis-py users write them, with producers and consumers in
 * separate processes. The scripts are in {@code src/test/resources/python}; each checks its own
 * invariants and prints the counts this test compares.
 */
class RedisPyQueuesTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    @BeforeAll
    static void requireRedisPy() throws Exception {
        Assumptions.assumeTrue(Subprocess.run(List.of("/usr/bin/python3", "-c", "import redis"), null, 30).exitCode() == 0,
                "redis-py test skipped: /usr/bin/python3 cannot import redis (apt-get install python3-redis)");
    }

    @Test
    void fifoConsumersGetEveryMessageOnceAndEachProducersMessagesInOrder() throws Exception {
        Subprocess.Result result = python("fifo_consumers.py", "2", "4", "2000");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("received=4000 duplicates=0 lost=0 out-of-order=0 busy-consumers=4", result.output().strip());
    }

    @Test
    void reliableQueueRecoversTheMessageADeadConsumerHeldAndDoesEveryMessageOnce() throws Exception {
        Subprocess.Result result = python("reliable_recovery.py", "4", "2000");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("done=2000 duplicates=0 lost=0 reaped=message-0 pending=0 processing=0", result.output().strip());
    }

    /**
     * A bulk enqueue in one redis-py pipeline: execute() writes all 1,000,000 LPUSH (68 MB) before it
     * reads a reply. The server must go on reading while the replies wait (it once stopped reading such a
     * client at 1 MB of replies, and both waited for ever).
     */
    @Test
    void aMillionCommandPipelineIsAnsweredWhole() throws Exception {
        Subprocess.Result result = python("bulk_pipeline.py", "1000000");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("replies=1000000 in-order=True llen=1000000", result.output().strip());
    }

    private Subprocess.Result python(String script, String... args) throws Exception {
        Path path = Path.of(getClass().getResource("/python/" + script).toURI());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", path.toString(),
                Integer.toString(postbox.port())));
        command.addAll(List.of(args));
        return Subprocess.run(command, null, 120);
    }
}
