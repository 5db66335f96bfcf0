package io.postbox.it.support;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * A framework test needs every command the framework sends. Where the server under test does not
 * have one yet (COMMAND INFO answers nil for it), the test is skipped, saying which commands are
 * missing, rather than failing on a gap that is known and tracked elsewhere.
 */
public final class RequiredCommands {

    private RequiredCommands() {
    }

    public static void assume(int port, String framework, String... commands) {
        List<String> missing = new ArrayList<>();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (String command : commands) {
                if (jedis.sendCommand(Protocol.Command.COMMAND, "INFO", command) instanceof List<?> info
                        && info.get(0) == null) {
                    missing.add(command);
                }
            }
        }
        Assumptions.assumeTrue(missing.isEmpty(), framework + " test skipped: it sends " + missing
                + ", which the server on port " + port + " does not implement yet");
    }
}
