package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.ScriptWatch;
import io.postbox.commands.TestClient;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scripts run through the real dispatcher, replies as RESP text. */
class ScriptingTest {

    private Engine engine;
    private TestClient client;

    @BeforeEach
    void setUp() {
        engine = new Engine(new Config(), Commands.groups());
        client = new TestClient(engine);
    }

    private String run(Object... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i] instanceof byte[] bytes ? bytes : args[i].toString().getBytes(StandardCharsets.ISO_8859_1);
        }
        engine.dispatcher().dispatch(client, argv);
        return client.replies();
    }

    /** Runs a command the way the server's busy thread does, bypassing the request checks. */
    private String runOn(TestClient other, String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        Command command = engine.commands().lookup(args[0]);
        if (command.isContainer()) {
            command = command.subcommands().get(args[1]);
        }
        engine.dispatcher().call(other, command, argv);
        return other.replies();
    }

    @Test
    void keysAndArgvAreBinarySafeBothWays() {
        byte[] key = {'k', 0, (byte) 0xff};
        byte[] value = {'a', 0, 'b', (byte) 0xff, (byte) 0xc3, (byte) 0x80};
        assertEquals("+OK\r\n", run("eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", key, value));
        assertEquals("$6\r\na\u0000b\u00ff\u00c3\u0080\r\n", run("get", key));
        assertEquals("*6\r\n:97\r\n:0\r\n:98\r\n:255\r\n:195\r\n:128\r\n",
                run("eval", "return {string.byte(ARGV[1], 1, -1)}", "0", value));
        assertEquals("$6\r\na\u0000b\u00ff\u00c3\u0080\r\n", run("eval", "return redis.call('get', KEYS[1])", "1", key));
    }

    @Test
    void valuesLargerThanTheTapeCrossBothWays() {
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertEquals("+OK\r\n", run("eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "big", big));
        String expected = "$" + big.length + "\r\n" + new String(big, StandardCharsets.ISO_8859_1) + "\r\n";
        assertEquals(expected, run("get", "big"));
        assertEquals(expected, run("eval", "return redis.call('get', KEYS[1])", "1", "big"));
        assertEquals(":1\r\n", run("eval", "return 1", "0"));
    }

    @Test
    void luaMemoryKeepsBlocksOfEverySizeApart() {
        // Strings and tables of every size class and past it, grown, shrunk, collected and checked.
        String script = """
                local kept = {}
                for n = 1, 1200 do kept[n] = string.rep(string.char(n % 251), n) end
                local t = {}
                for i = 1, 3000 do t[i] = i end
                for i = 3000, 2, -1 do t[i] = nil end
                collectgarbage('collect')
                for n = 1, 1200 do
                  if #kept[n] ~= n or kept[n] ~= string.rep(string.char(n % 251), n) then return n end
                end
                return #t
                """;
        for (int round = 0; round < 3; round++) {
            assertEquals(":1\r\n", run("eval", script, "0"));
        }
    }

    /**
     * As Redis does, a garbage collection step follows every 50 scripts, so the garbage of many short
     * scripts does not pile up until Lua's own next cycle (Redis's "EVAL does not leak in the Lua stack").
     */
    @Test
    void garbageOfManyScriptsIsCollectedAsTheyRun() {
        run("eval", "collectgarbage('collect') return 1", "0");
        long live = luaMemory();
        for (int i = 0; i < 10_000; i++) {
            run("eval", "return redis.call('incr', KEYS[1])", "1", "x");
        }
        assertEquals("$5\r\n10000\r\n", run("get", "x"));
        long grown = luaMemory() - live;
        assertTrue(grown < 20 * 1024, "the Lua heap grew by " + grown + " bytes");
    }

    private long luaMemory() {
        String info = run("info", "memory");
        int at = info.indexOf("used_memory_lua:") + "used_memory_lua:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    @Test
    void luaValuesBecomeRedisReplies() {
        assertEquals("*3\r\n:1\r\n:3\r\n$1\r\nx\r\n", run("eval", "return {1, 3.9, 'x', nil, 5}", "0"));
        assertEquals(":-9223372036854775808\r\n", run("eval", "return 1e30", "0"));
        assertEquals("$-1\r\n", run("eval", "return false", "0"));
        assertEquals(":1\r\n", run("eval", "return true", "0"));
        assertEquals("+a  b\r\n", run("eval", "return {ok='a\\r\\nb'}", "0"));
        assertEquals("-MY err\r\n", run("eval", "return {err='MY err'}", "0"));
        assertEquals("*2\r\n$1\r\na\r\n:1\r\n", run("eval", "return {map={a=1}}", "0"));
    }

    @Test
    void textsRedisReadsAsCStringsEndAtANul() {
        assertEquals("+a\r\n", run("eval", "return {ok='a\\0b'}", "0"));
        assertEquals("-a\r\n", run("eval", "return {err='a\\0b'}", "0"));
        assertEquals("-ERR a\r\n", run("eval", "return redis.error_reply('a\\0b')", "0"));
        assertTrue(run("eval", "error('a\\0b')", "0").startsWith("-ERR user_script:1: a script: "));
    }

    @Test
    void aReturnedErrorLosesTheLineBreaksAtItsEndARaisedOneKeepsThemAsSpaces() {
        assertEquals("-trail\r\n", run("eval", "return {err='trail\\r\\n'}", "0"));
        assertEquals("-\r\n", run("eval", "return {err='\\n'}", "0"));
        assertEquals("*1\r\n-nested\r\n", run("eval", "return {{err='nested\\n'}}", "0"));
        assertTrue(run("eval", "error('trail\\n')", "0").startsWith("-ERR user_script:1: trail  script: "));
    }

    @Test
    void aVerbatimFormatIsAlwaysThreeCharacters() {
        run("hello", "3");
        assertEquals("=6\r\nx  :hi\r\n", run("eval", "return {verbatim_string={format='x', string='hi'}}", "0"));
        assertEquals("=6\r\nlon:hi\r\n", run("eval", "return {verbatim_string={format='long', string='hi'}}", "0"));
        assertEquals("=6\r\n\u00ff  :hi\r\n",
                run("eval", "return {verbatim_string={format='\\255\\0z', string='hi'}}", "0"));
    }

    @Test
    void pcallReturnsErrorsMarkedWithRedisFieldName() {
        run("set", "s", "v");
        String fields = "local e = redis.pcall('incr', 's') "
                + "return {e.ignore_error_stats_update, type(e.ignore_err_stats_update)}";
        assertEquals("*2\r\n:1\r\n$3\r\nnil\r\n", run("eval", fields, "0"));
    }

    @Test
    void errorsInsideAResultAreCountedAndFailTheCallAsInRedis() {
        run("set", "s", "v");
        run("eval", "return {1, {err='E1 inner'}, redis.error_reply('E2 x')}", "0");
        run("eval", "return {redis.pcall('incr', 's')}", "0");
        run("eval", "return {{err='nospace'}, {err='AVERYLONGERRORCODEWORDPASTTHIRTYONE x'}}", "0");
        run("eval", "return {1, {ok='fine'}}", "0");
        assertEquals(Map.of("E1", 1L, "E2", 1L, "ERR", 3L), engine.stats().errors());
        assertEquals(3, engine.stats().of(engine.commands().lookup("eval")).failedCalls);
    }

    @Test
    void functionsLackTheDebuggerAndReplicationCallsOfEval() {
        String names = "local t = {} for _, n in ipairs({'replicate_commands', 'breakpoint', 'debug', 'set_repl'}) do "
                + "t[#t+1] = type(redis[n]) end return t";
        run("function", "load", "#!lua name=api\nredis.register_function('api', function() " + names + " end)");
        assertEquals("*4\r\n$3\r\nnil\r\n$3\r\nnil\r\n$3\r\nnil\r\n$8\r\nfunction\r\n", run("fcall", "api", "0"));
        String function = "$8\r\nfunction\r\n";
        assertEquals("*4\r\n" + function.repeat(4), run("eval", names, "0"));
    }

    @Test
    void aTableThatContainsItselfEndsAtLuasStackLimitAsInRedis() {
        String reply = run("eval", "local t = {} t[1] = t return t", "0");
        assertEquals(7995, reply.split("\\*1\r\n", -1).length - 1);
        assertTrue(reply.endsWith("*1\r\n-ERR reached lua stack limit\r\n"));
        assertEquals(":1\r\n", run("eval", "return 1", "0"));
    }

    @Test
    void repliesBecomeLuaValuesInResp3AfterSetresp() {
        run("hset", "h", "f", "v");
        assertEquals("$5\r\ntable\r\n", run("eval", "redis.setresp(3) return type(redis.call('hgetall','h').map)", "0"));
        assertEquals(":1\r\n", run("eval", "redis.setresp(3) return redis.call('get','nokey') == nil", "0"));
        assertEquals(":1\r\n", run("eval", "return redis.call('get','nokey') == false", "0"));
    }

    @Test
    void errorsCarryTheScriptAndLine() {
        run("set", "s", "v");
        String sha = RedisLibrary.sha1("\nreturn redis.call('incr','s')".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("-ERR value is not an integer or out of range script: " + sha + ", on @user_script:2.\r\n",
                run("eval", "\nreturn redis.call('incr','s')", "0"));
        assertTrue(run("eval", "return (", "0").startsWith("-ERR Error compiling script (new function): user_script:1:"));
        assertEquals("-NOSCRIPT No matching script. Please use EVAL.\r\n", run("evalsha", "0".repeat(40), "0"));
    }

    @Test
    void precompiledBytecodeNeverRuns() {
        // Lua 5.1 runs bytecode unverified; Redis's Lua, and so Postbox, parse every chunk as text.
        String dumped = run("eval", "return string.dump(function() return 42 end)", "0");
        byte[] bytecode = dumped.substring(dumped.indexOf("\r\n") + 2, dumped.length() - 2)
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(27, bytecode[0], "a precompiled chunk");
        assertEquals("-ERR Error compiling script (new function): user_script:1: unexpected symbol near 'char(27)'\r\n",
                run("eval", bytecode, "0"));
        String viaLoadstring = "local f, e = loadstring(string.dump(function() return 42 end)) return {tostring(f), e}";
        String message = "[string \"\u001bLuaQ\"]:1: unexpected symbol near 'char(27)'";
        assertEquals("*2\r\n$3\r\nnil\r\n$" + message.length() + "\r\n" + message + "\r\n",
                run("eval", viaLoadstring, "0"));
        String viaLoad = "local s, done = string.dump(function() return 42 end), false "
                + "local f = load(function() if done then return nil end done = true return s end) return tostring(f)";
        assertEquals("$3\r\nnil\r\n", run("eval", viaLoad, "0"));
        assertEquals(":2\r\n", run("eval", "return loadstring('return 1 + 1')()", "0"), "text still loads");
    }

    @Test
    void aDebuggingSessionWithNoOneToTalkToRunsTheScriptThrough() {
        assertEquals("+OK\r\n", run("script", "debug", "sync"));
        assertEquals("*2\r\n+* Stopped at 1, stop reason = step over\r\n+-> 1   redis.debug('x', 1)\r\n"
                + "*2\r\n+<debug> line 1: \"x\", 1\r\n+<endsession>\r\n$1\r\n1\r\n",
                run("eval", "redis.debug('x', 1)\nreturn '1'", "0"));
        assertEquals("-ERR Please use EVAL instead of EVALSHA for debugging\r\n",
                run("evalsha", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"));
        assertEquals("+OK\r\n", run("script", "debug", "no"));
        assertEquals(":0\r\n", run("eval", "return redis.breakpoint() and 1 or 0", "0"));
    }

    @Test
    void aForkedDebuggingSessionIsRefusedOnceWithoutRunningTheScript() {
        assertEquals("+OK\r\n", run("script", "debug", "YES"));
        assertEquals("-ERR Fork() failed: can't run EVAL in debugging mode: Postbox does not fork; use SCRIPT DEBUG"
                + " SYNC (redis-cli --ldb-sync-mode)\r\n", run("eval", "return redis.call('incr', 'n')", "0"));
        assertEquals(":1\r\n", run("eval", "return redis.call('incr', 'n')", "0"));
        assertEquals("-ERR Use SCRIPT DEBUG YES/SYNC/NO\r\n", run("script", "debug", "maybe"));
    }

    @Test
    void infoMemoryCountsScriptsFunctionsAndLuaHeaps() {
        assertTrue(run("info", "memory").contains("number_of_cached_scripts:0\r\n"));
        run("eval", "return 1", "0");
        run("script", "load", "return 2");
        run("function", "load", "#!lua name=lib\nredis.register_function('f', function() return 1 end)"
                + " redis.register_function('g', function() return 2 end)");
        String info = run("info", "memory");
        assertTrue(info.contains("number_of_cached_scripts:2\r\n"), info);
        assertTrue(info.contains("number_of_functions:2\r\n"), info);
        assertTrue(info.contains("number_of_libraries:1\r\n"), info);
        assertTrue(info.contains("used_memory_scripts_eval:16\r\n"), info);
        assertTrue(info.matches("(?s).*used_memory_lua:[1-9][0-9]{3,}\r\n.*"), info);
        assertTrue(info.matches("(?s).*used_memory_vm_functions:[1-9][0-9]{3,}\r\n.*"), info);
    }

    /** Each FUNCTION LOAD REPLACE left its library's environment behind: some 2.8 KB a load, never freed. */
    @Test
    void replacedLibrariesLeaveNothingInTheFunctionsHeap() {
        String library = "#!lua name=lib\n"
                + "redis.register_function('f', function(keys) return redis.call('incr', keys[1]) end)";
        run("function", "load", library);
        long first = functionsHeap();
        for (int i = 0; i < 5000; i++) {
            run("function", "load", "replace", library);
        }
        assertEquals(":1\r\n", run("fcall", "f", "1", "counter"));
        long after = functionsHeap();
        assertTrue(after < first + 256 * 1024, "5000 replaced libraries grew the heap from " + first + " to " + after);
    }

    private long functionsHeap() {
        String info = run("info", "memory");
        int at = info.indexOf("used_memory_vm_functions:") + "used_memory_vm_functions:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    @Test
    void evalshaAcceptsEitherCase() {
        String sha = run("script", "load", "return 7").substring(5, 45);
        assertEquals(":7\r\n", run("evalsha", sha.toUpperCase(), "0"));
        assertEquals(":7\r\n", run("evalsha", sha, "0"));
        assertEquals("+OK\r\n", run("script", "flush"));
        assertEquals("*1\r\n:0\r\n", run("script", "exists", sha));
    }

    /** A thread that sends SCRIPT KILL, as another client would, shortly after the next script starts. */
    private Thread killOnceStarted() {
        CountDownLatch started = new CountDownLatch(1);
        engine.attach(new WatchThatSignals(started));
        Thread killer = new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
                Thread.sleep(50);
                runOn(new TestClient(engine), "script", "kill");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        return killer;
    }

    @Test
    void scriptKillStopsALoopingScriptFromAnotherThread() throws Exception {
        assertEquals("-NOTBUSY No scripts in execution right now.\r\n", run("script", "kill"));
        Thread killer = killOnceStarted();
        // The script's own pcall catches the kill on line 1; the kill fails it again on line 2.
        String reply = run("eval", "local ok = pcall(function() while true do end end)\nwhile true do end", "0");
        killer.join();
        assertTrue(reply.startsWith("-ERR Script killed by user with SCRIPT KILL... script: "), reply);
        assertEquals(":1\r\n", run("eval", "return 1", "0"), "the state works after a kill");
    }

    @Test
    void scriptKillStopsAScriptThatLoopsOnRedisCall() throws Exception {
        Thread killer = killOnceStarted();
        // The kill may land while redis.call packs its arguments in Lua, or anywhere else in the loop.
        String reply = run("eval", "while true do redis.pcall('get', 'k', 1.5) end", "0");
        killer.join();
        assertTrue(reply.startsWith("-ERR Script killed by user with SCRIPT KILL... script: "), reply);
        assertEquals("$1\r\nv\r\n", run("eval", "redis.call('set', 'k', 'v') return redis.call('get', 'k')", "0"),
                "the state works after a kill");
    }

    @Test
    void functionStatsAndFunctionKillFromAnotherThreadWhileAFunctionRuns() throws Exception {
        assertEquals("$4\r\nspin\r\n", run("function", "load",
                "#!lua name=spin\nredis.register_function('spin', function(keys, args) while true do end end)"));
        CountDownLatch started = new CountDownLatch(1);
        engine.attach(new WatchThatSignals(started));
        TestClient other = new TestClient(engine);
        String[] seen = new String[3];
        Thread busyThread = new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
                Thread.sleep(50);
                seen[0] = runOn(other, "function", "stats");
                seen[1] = runOn(other, "script", "kill");
                seen[2] = runOn(other, "function", "kill");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busyThread.start();
        String reply = run("fcall", "spin", "1", "k", "a");
        busyThread.join();
        assertTrue(seen[0].startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n"
                + "$7\r\ncommand\r\n*5\r\n$5\r\nfcall\r\n$4\r\nspin\r\n$1\r\n1\r\n$1\r\nk\r\n$1\r\na\r\n"
                + "$11\r\nduration_ms\r\n:"), seen[0]);
        assertTrue(seen[0].endsWith("$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n"
                + "$15\r\nfunctions_count\r\n:1\r\n"), seen[0]);
        assertEquals("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n", seen[1],
                "SCRIPT KILL does not kill a function: it names the kill that would");
        assertEquals("+OK\r\n", seen[2]);
        assertTrue(reply.startsWith("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2."),
                reply);
        assertTrue(run("function", "stats").startsWith("*4\r\n$14\r\nrunning_script\r\n$-1\r\n"));
    }

    @Test
    void aScriptThatWroteCannotBeKilled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        engine.attach(new WatchThatSignals(started));
        TestClient other = new TestClient(engine);
        String[] seen = new String[1];
        Thread busyThread = new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
                // Time for the SET, its first statement; the script runs on for three seconds or more.
                Thread.sleep(500);
                seen[0] = runOn(other, "script", "kill");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busyThread.start();
        String reply = run("eval", "redis.call('set', 'k', 'v') local t = redis.call('time')[1] + 0"
                + " while redis.call('time')[1] + 0 < t + 4 do end return 'done'", "0");
        busyThread.join();
        assertTrue(seen[0].startsWith("-UNKILLABLE Sorry the script already executed write commands"), seen[0]);
        assertEquals("$4\r\ndone\r\n", reply);
    }

    /** Tells the test when a script starts. */
    private record WatchThatSignals(CountDownLatch started) implements ScriptWatch {
        @Override
        public void started(boolean function) {
            started.countDown();
        }

        @Override
        public void running() {
        }

        @Override
        public void ended() {
        }

        @Override
        public boolean busy() {
            return false;
        }

        @Override
        public boolean function() {
            return false;
        }
    }
}
