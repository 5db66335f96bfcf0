package io.postbox.benchmarks;

import io.postbox.commands.keyspace.Dict;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What storing a snapshot load's keys costs: {@link Dict#addAllAbsent} of one batch (the loader's
 * 262,144 keys) into a table sized for two, which holds the first already: about the last batch of
 * persistence_bench's 506,001 keys, stored once the parse has ended, so the load waits for it.
 * The entries are allocated together, after the bytes of their keys and values, as a load's storing
 * thread allocates them while its parsing thread allocates the bytes: taken in bucket order, the
 * order of storing, they are scattered over 8 MB. One store per measurement; the setup makes a
 * fresh table each time, then has the heap collected.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar LoadBatch}
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoadBatchBenchmark {

    private static final int BATCH = 1 << 18;

    /** A stored key, as the keyspace's entries are: key bytes and a value. */
    static final class Key extends Dict.Entry {
        final byte[] value;

        Key(byte[] key, byte[] value) {
            super(key, Dict.hash(key));
            this.value = value;
        }
    }

    private Dict<Key> dict;
    private Key[] batch;
    private int[] hashes;

    @Setup(Level.Invocation)
    public void storeFirstBatch() {
        dict = new Dict<>();
        dict.reserve(2 * BATCH);
        readBatch(0);
        dict.addAllAbsent(batch, hashes, BATCH);
        readBatch(BATCH);
        // Else a collection of what the setup allocated lands in the middle of the measured store.
        System.gc();
    }

    private void readBatch(int first) {
        byte[][] keys = new byte[BATCH][];
        byte[][] values = new byte[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            int n = first + i;
            keys[i] = ("key:" + n).getBytes(StandardCharsets.US_ASCII);
            values[i] = ("value-" + n + "-" + "x".repeat(n % 80)).getBytes(StandardCharsets.US_ASCII);
        }
        batch = new Key[BATCH];
        hashes = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            batch[i] = new Key(keys[i], values[i]);
            hashes[i] = batch[i].hash();
        }
    }

    @Benchmark
    public Key storeSecondBatch() {
        return dict.addAllAbsent(batch, hashes, BATCH);
    }
}
