package io.postbox.benchmarks;

import io.postbox.persistence.rdb.Crc64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the RDB checksum costs: {@link Crc64} over a buffer of random bytes, of the size a snapshot
 * reads or writes at a time, and of a short string. Every byte of a save and a load goes through it,
 * on the thread that writes the file or parses it. Per call; divide the buffer by the time for bytes
 * per nanosecond (GB/s).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar Crc64}
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Crc64Benchmark {

    @Param({"64", "65536"})
    private int bytes;

    private byte[] buffer;

    @Setup
    public void fill() {
        buffer = new byte[bytes];
        new SplittableRandom(1).nextBytes(buffer);
    }

    @Benchmark
    public long update() {
        return Crc64.update(0, buffer, 0, buffer.length);
    }
}
