package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.SideBySideClients;
import io.postbox.it.support.Transcripts;
import io.postbox.it.support.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lua debugger in its synchronous mode (SCRIPT DEBUG SYNC, {@code redis-cli --ldb-sync-mode}),
 * side by side with Redis: each case is a script of steps on raw connections, run on both servers, and
 * what each connection read must be the same (function addresses aside). Then redis-cli driving a
 * session on both, and what Postbox does where Redis cannot be compared: other clients wait and SCRIPT
 * KILL still works while a script is stopped, and the forked mode (SCRIPT DEBUG YES) is refused.
 *
 * <p>Steps: {@code a> CMD args} sends a command on connection {@code a} and reads one reply;
 * {@code a<} reads one more; {@code a.} records whether the server closed the connection;
 * {@code a!} closes it. Double quotes group words, and {@code \n} in them is a newline.
 */
class ScriptDebuggerTest {

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);

    private static final Pattern STEP = Pattern.compile("(\\w+)([><.!]) ?(.*)");
    private static final String SCRIPT = "local a = {1, 2, 'x', {k='v'}}\\n"
            + "local b = redis.call('set', KEYS[1], ARGV[1])\\n"
            + "redis.debug('hi', a, 3.5, nil, true)\\n"
            + "local c = redis.call('get', KEYS[1])\\n"
            + "local function f(x)\\n"
            + "  return x * 2\\n"
            + "end\\n"
            + "local d = f(21)\\n"
            + "redis.breakpoint()\\n"
            + "local e = redis.pcall('incr', KEYS[1])\\n"
            + "return {a[1], c, d}\\n";

    @Test
    void stepsListsPrintsAndSetsBreakpoints() throws IOException {
        sameAsRedis("a> FLUSHALL\n"
                + "a> SCRIPT DEBUG sync\n"
                + "a> EVAL \"" + SCRIPT + "\" 1 k \"v\\\"q\"\n"
                + """
                a> help
                a> s
                a> s
                a> p
                a> p a
                a> p KEYS
                a> p ARGV
                a> p nosuch
                a> l
                a> l 3 1
                a> list 0 0
                a> w
                a> b
                a> b 9
                a> b x -0 99 -4 9
                a> b
                a> t
                a> m
                a> m 5
                a> m 0
                a> nosuch
                a> r
                a> s
                a> s
                a> c
                a> STEP
                a> t
                a> s
                a> c
                a<
                a.
                """);
    }

    @Test
    void evaluatesCodeAndRunsCommandsBesideTheScript() throws IOException {
        sameAsRedis("""
                a> FLUSHALL
                a> SCRIPT DEBUG sync
                a> EVAL "local function g(y)\\n  local z = y + 1\\n  return z\\nend\\n\
                local t = {x=1, [2]='b', f=g}\\nlocal r = g(1)\\nreturn r\\n" 0
                a> s
                a> s
                a> s
                a> s
                a> t
                a> p
                a> p t
                a> p y
                a> e 1 + 1
                a> e local z = 1
                a> e y
                a> e {1,{2,{3}}}
                a> e nosuch()
                a> e ((
                a> e string.char(0,200,10)
                a> e 1/0
                a> e -0.0
                a> e 1/3
                a> e 2^70
                a> r set k2 y
                a> r lrange k2 0 1
                a> r get k2 extra
                a> r nosuch
                a> e "string.rep('x', 300)"
                a> m 70
                a> e "string.rep('x', 300)"
                a> a
                a<
                a.
                b> GET k2
                """);
    }

    @Test
    void logsTheScriptsCommandsAndRepliesWhileStepping() throws IOException {
        sameAsRedis("""
                a> FLUSHALL
                a> HSET h f v
                a> SADD st m
                a> ZADD z 1.5 m
                a> RPUSH l a b
                a> SCRIPT DEBUG sync
                a> EVAL "redis.setresp(3)\\nlocal a = redis.call('hgetall', 'h')\\n\
                local b = redis.call('smembers', 'st')\\nlocal c = redis.call('zscore', 'z', 'm')\\n\
                local d = redis.call('get', 'nokey')\\nlocal e = redis.call('lrange', 'l', 0, -1)\\nredis.setresp(2)\\n\
                local f = redis.call('get', 'nokey')\\nlocal g = redis.call('hgetall', 'h')\\nreturn 1\\n" 0
                a> s
                a> s
                a> s
                a> s
                a> s
                a> s
                a> s
                a> s
                a> s
                a> s
                a<
                b> SCRIPT DEBUG sync
                b> EVAL "redis.pcall('get','a','b')\\nredis.pcall('nosuch')\\nredis.pcall()\\n\
                redis.error_reply('boom')\\nredis.pcall('set', 'k', {})\\n\
                redis.call('set', 'a1','b','c','d','e','f','g','h','i','j','k','l','m')\\nreturn 1" 0
                b> s
                b> s
                b> s
                b> s
                b> s
                b> s
                b<
                b.
                """);
    }

    @Test
    void sessionsStartBeforeTheScriptAndEndWithTheConnection() throws IOException {
        sameAsRedis("""
                a> SCRIPT DEBUG sync
                a> EVAL "return 1" 2 k
                a<
                a.
                b> SCRIPT DEBUG sync
                b> EVAL "return (" 0
                b<
                b.
                c> SCRIPT DEBUG sync
                c> EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0
                c> EVALSHA short 0
                c> SCRIPT DEBUG no
                c> EVAL "return 1" 0
                c> SCRIPT DEBUG maybe
                d> SCRIPT DEBUG sync
                d> EVAL "return 'hello'" 0
                d> "hello\\0world"
                d> "s\\0x"
                d<
                d.
                e> SCRIPT DEBUG sync
                e> EVAL "local a = 1\\nreturn a" 0
                e> p ""
                e<
                e.
                """);
    }

    @Test
    void aScriptThatRunsPastTheTimeLimitStops() throws IOException {
        String script = """
                a> CONFIG SET busy-reply-threshold 200
                a> SCRIPT DEBUG sync
                a> EVAL "local i = 0\\nwhile true do\\n  i = i + 1\\nend\\n" 0
                a> c
                a> b 3
                a> c
                a> b -3
                a> c
                a!
                b> CONFIG SET busy-reply-threshold 5000
                b> PING
                """;
        Map<String, String> redisSide = run(clients.port("redis"), script, true);
        Map<String, String> postboxSide = run(postbox.port(), script, true);
        assertEquals(Transcripts.render(redisSide), Transcripts.render(postboxSide));
    }

    /** redis-cli's own debugging console, fed from its standard input, prints the same on both servers. */
    @Test
    void redisCliDrivesASession(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ReferenceRedis.onPath("redis-cli") != null,
                "redis-cli test skipped: redis-cli is not on the PATH (apt-get install redis-tools)");
        Path script = dir.resolve("count.lua");
        Files.writeString(script, "local v = redis.call('incr', KEYS[1])\nredis.debug('v is', v)\n"
                + "return v + tonumber(ARGV[1])\n");
        List<String> outputs = new ArrayList<>();
        for (int port : new int[] {clients.port("redis"), postbox.port()}) {
            clients.jedis(port == postbox.port() ? "postbox" : "redis").del("count");
            Subprocess.Result session = Subprocess.run(List.of("redis-cli", "-p", Integer.toString(port),
                    "--ldb-sync-mode", "--eval", script.toString(), "count", ",", "10"), "s\ns\np\nc\n", 30);
            assertEquals(0, session.exitCode(), session.output());
            outputs.add(session.output());
        }
        assertTrue(outputs.get(1).contains("(integer) 11"), outputs.get(1));
        assertEquals(outputs.get(0), outputs.get(1));
    }

    /**
     * While a script waits for its debugger, Postbox serves other clients only the commands a busy
     * script allows (Redis serves no one): the rest wait and are served after the session; SCRIPT KILL
     * ends the stopped script.
     */
    @Test
    void othersWaitWhileTheScriptIsStoppedAndScriptKillEndsIt() throws Exception {
        RawConnection debugging = clients.raw("postbox");
        RawConnection other = clients.raw("postbox");
        RawConnection killer = clients.raw("postbox");
        other.call("SET", "k", "before");
        debugging.call("SCRIPT", "DEBUG", "sync");
        String stop = text(debugging.call("EVAL", "local x = 1\nreturn x", "0"));
        assertTrue(stop.contains("Stopped at 1"), stop);
        Future<byte[]> waiting = clients.inBackground(() -> other.call("GET", "k"));
        TimeUnit.MILLISECONDS.sleep(300);
        assertFalse(waiting.isDone(), "GET should wait for the session to end");
        assertEquals("+OK\r\n", text(killer.call("SCRIPT", "KILL")));
        String end = text(debugging.call("s")) + text(debugging.readReply());
        assertEquals("*1\r\n+<endsession>\r\n-ERR Script killed by user with SCRIPT KILL... script: "
                + "81d3cc25cd49aae96a424764ed1ee8c44c88ce76, on @user_script:1.\r\n", end);
        assertEquals("$6\r\nbefore\r\n", text(waiting.get(5, TimeUnit.SECONDS)));
        assertTrue(debugging.closedByPeer(2_000), "the session's connection should close");
    }

    /**
     * Debugger commands sent ahead, more than the debugger keeps, are each answered in order: the rest
     * wait in the connection, unread, until it takes them. (Redis reads one command per read and
     * drops what came with it.)
     */
    @Test
    void debuggerCommandsSentAheadAreAnsweredInOrder() throws IOException {
        RawConnection debugging = clients.raw("postbox");
        debugging.call("SCRIPT", "DEBUG", "sync");
        debugging.call("EVAL", "local x = 1\nreturn x", "0");
        int commands = 3_000;
        for (int i = 0; i < commands; i++) {
            debugging.send(RawConnection.command("p", "x" + i));
        }
        debugging.send(RawConnection.command("c"));
        for (int i = 0; i < commands; i++) {
            assertEquals("*1\r\n+No such variable.\r\n", text(debugging.readReply()), "reply " + i);
        }
        assertEquals("*1\r\n+<endsession>\r\n", text(debugging.readReply()));
        assertEquals(":1\r\n", text(debugging.readReply()));
    }

    /** SCRIPT DEBUG YES asks for Redis's forked session, whose changes are thrown away: EVAL refuses to run. */
    @Test
    void aForkedSessionIsRefusedWithoutRunningTheScript() throws IOException {
        RawConnection connection = clients.raw("postbox");
        connection.call("DEL", "forked");
        assertEquals("+OK\r\n", text(connection.call("SCRIPT", "DEBUG", "yes")));
        assertEquals("-ERR Please use EVAL instead of EVALSHA for debugging\r\n",
                text(connection.call("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0")));
        assertEquals("-ERR Fork() failed: can't run EVAL in debugging mode: Postbox does not fork; use SCRIPT "
                + "DEBUG SYNC (redis-cli --ldb-sync-mode)\r\n",
                text(connection.call("EVAL", "return redis.call('incr', 'forked')", "0")));
        assertEquals("$-1\r\n", text(connection.call("GET", "forked")));
        assertEquals(":1\r\n", text(connection.call("EVAL", "return redis.call('incr', 'forked')", "0")));
    }

    private void sameAsRedis(String script) throws IOException {
        Map<String, String> redisSide = run(clients.port("redis"), script, false);
        Map<String, String> postboxSide = run(postbox.port(), script, false);
        assertEquals(Transcripts.render(redisSide), Transcripts.render(postboxSide));
    }

    /**
     * Runs a script on a server; the transcript maps each step (numbered) to what it read. With
     * {@code dropVariable}, a reply's numbers after "i = " are left out (how far a loop got).
     */
    private Map<String, String> run(int port, String script, boolean dropVariable) throws IOException {
        Map<String, RawConnection> connections = new LinkedHashMap<>();
        Map<String, String> transcript = new LinkedHashMap<>();
        try {
            for (String step : script.strip().split("\n")) {
                Matcher parts = STEP.matcher(step);
                if (!parts.matches()) {
                    throw new IllegalArgumentException("not a script line: " + step);
                }
                RawConnection connection = connections.get(parts.group(1));
                if (connection == null) {
                    connection = new RawConnection(port);
                    connections.put(parts.group(1), connection);
                }
                String read = switch (parts.group(2)) {
                    case ">" -> text(connection.call(words(parts.group(3))));
                    case "<" -> text(connection.readReply());
                    case "!" -> {
                        connection.close();
                        yield "";
                    }
                    default -> connection.closedByPeer(2_000) ? "(closed)" : "(open)";
                };
                read = read.replaceAll("function@0x[0-9a-f]+", "function@ADDRESS");
                if (dropVariable) {
                    read = read.replaceAll("i = [0-9.e+]+", "i = N");
                }
                transcript.put(transcript.containsKey(step) ? step + " #" + transcript.size() : step, read);
            }
        } finally {
            for (RawConnection connection : connections.values()) {
                connection.close();
            }
        }
        return transcript;
    }

    /** A step's words: double quotes group; in them {@code \n} is a newline, {@code \0} a NUL, {@code \"} a quote. */
    private static List<byte[]> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)").matcher(line);
        while (word.find()) {
            words.add(word.group(1) != null
                    ? word.group(1).replace("\\n", "\n").replace("\\0", "\0").replace("\\\"", "\"")
                    : word.group(2));
        }
        return RawConnection.command(words.toArray(String[]::new));
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
