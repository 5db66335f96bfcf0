package io.postbox.benchmarks;

import io.postbox.commands.Command;
import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.TestClient;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue #5's script calls through the dispatcher, as the executor runs them for a client, without
 * the network: the delayed-queue pop (EVALSHA of the script) and the two commands it runs sent
 * directly, on a sorted set of due messages; EVALSHA of {@code return 1}; a script of two GETs next to
 * the two GETs sent directly, which leaves what a redis.call itself costs; and what working out an
 * EVALSHA call's flags costs ({@link Command#flagsOf}). A pop removes what it returns, so the pops
 * are measured in batches, each on a sorted set refilled before it.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ScriptCall}
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScriptCallBenchmark {

    /** Pops per measured batch; the sorted set holds this many due messages before each batch. */
    private static final int BATCH = 100_000;
    private static final String DELAYED_QUEUE_POP = """
            local message = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, 1);
            if #message > 0 then
              redis.call('ZREM', KEYS[1], message[1]);
              return message;
            else
              return {};
            end
            """;
    private static final String QUEUE = "delayed";
    private static final String NOW = "1700000000000";
    private static final long FIRST_DUE = 1_600_000_000_000L;

    private Engine engine;
    private TestClient client;
    private byte[][] pop;
    private byte[][] returnOne;
    private byte[][] twoGets;
    private byte[][] get;
    private byte[][] firstDue;
    private Command evalsha;
    /** The queue's members, in the order they fall due: made once, so no batch formats them. */
    private byte[][] members;

    @Setup(Level.Trial)
    public void loadScripts() {
        members = new byte[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            members[i] = bytes(String.format("job:%09d", i));
        }
        engine = new Engine(new Config(), Commands.groups());
        client = new TestClient(engine);
        pop = args("EVALSHA", load(DELAYED_QUEUE_POP), "1", QUEUE, NOW);
        returnOne = args("EVALSHA", load("return 1"), "0");
        twoGets = args("EVALSHA", load("redis.call('GET', KEYS[1]) return redis.call('GET', KEYS[1])"), "1", "job");
        get = args("GET", "job");
        firstDue = args("ZRANGEBYSCORE", QUEUE, "-inf", NOW, "WITHSCORES", "LIMIT", "0", "1");
        evalsha = engine.commands().lookup(pop[0]);
        expect(args("ZADD", QUEUE, Long.toString(FIRST_DUE), "job:000000000"), ":1\r\n");
        expect(pop, "*2\r\n$13\r\njob:000000000\r\n$13\r\n" + FIRST_DUE + "\r\n");
        expect(firstDue, "*0\r\n");
        expect(returnOne, ":1\r\n");
        expect(args("SET", "job", "payload"), "+OK\r\n");
        expect(twoGets, "$7\r\npayload\r\n");
    }

    /** Stops the benchmark unless {@code command} gets {@code reply}: it would measure an error. */
    private void expect(byte[][] command, String reply) {
        engine.dispatcher().dispatch(client, command);
        String got = client.replies();
        if (!got.equals(reply)) {
            throw new IllegalStateException(new String(command[0], StandardCharsets.ISO_8859_1) + " replied " + got);
        }
    }

    /** Fills the queue with {@value #BATCH} due messages, {@code job:000000000} first. */
    @Setup(Level.Iteration)
    public void fillQueue() {
        run(args("DEL", QUEUE));
        int chunk = 1_000;
        for (int first = 0; first < BATCH; first += chunk) {
            byte[][] zadd = new byte[2 + 2 * chunk][];
            zadd[0] = bytes("ZADD");
            zadd[1] = bytes(QUEUE);
            for (int i = 0; i < chunk; i++) {
                zadd[2 + 2 * i] = bytes(Long.toString(FIRST_DUE + first + i));
                zadd[3 + 2 * i] = members[first + i];
            }
            run(zadd);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OperationsPerInvocation(BATCH)
    public long delayedQueuePopScript() {
        long replied = 0;
        for (int i = 0; i < BATCH; i++) {
            replied += run(pop);
        }
        return replied;
    }

    /** The script's two commands, sent directly: what the script adds is the difference. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OperationsPerInvocation(BATCH)
    public long delayedQueuePopCommands() {
        long replied = 0;
        byte[][] remove = args("ZREM", QUEUE, "");
        for (int i = 0; i < BATCH; i++) {
            replied += run(firstDue);
            remove[2] = members[i];
            replied += run(remove);
        }
        return replied;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long returnOneScript() {
        return run(returnOne);
    }

    /**
     * A script of two calls of a cheap command, GET: with {@link #twoGetsCommands}, what a redis.call
     * costs beyond the command it runs.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long twoGetsScript() {
        return run(twoGets);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long twoGetsCommands() {
        return run(get) + run(get);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long evalshaCallFlags() {
        return evalsha.flagsOf(pop);
    }

    /** Loads a script as SCRIPT LOAD does; returns its SHA1, which EVALSHA names it by. */
    private String load(String script) {
        run(args("SCRIPT", "LOAD", script));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(script)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command as a client's request; the size of its reply. */
    private int run(byte[][] command) {
        engine.dispatcher().dispatch(client, command);
        return client.dropReplies();
    }

    private static byte[][] args(String... words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = bytes(words[i]);
        }
        return args;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
