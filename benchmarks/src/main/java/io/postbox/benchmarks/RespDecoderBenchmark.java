package io.postbox.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.postbox.resp.RequestLimits;
import io.postbox.resp.RespDecoder;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What decoding a request costs the executor: {@link RespDecoder} in a channel pipeline, fed the
 * requests redis-benchmark sends ({@code GET key:000000001234}, and {@code LPUSH} of a 3-byte value),
 * {@link #PIPELINE} to a read, in a direct buffer of the server's allocator, as a socket read hands them
 * over. Per request.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar RespDecoder}
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RespDecoderBenchmark {

    private static final int PIPELINE = 16;
    private static final RequestLimits LIMITS = new RequestLimits() {
        @Override
        public long maxBulkLength() {
            return 512L * 1024 * 1024;
        }

        @Override
        public long maxQueryBuffer() {
            return 1024L * 1024 * 1024;
        }

        @Override
        public long heldBytes() {
            return 0;
        }

        @Override
        public boolean authenticated() {
            return true;
        }
    };

    private EmbeddedChannel channel;
    private ByteBuf gets;
    private ByteBuf pushes;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new RespDecoder(LIMITS));
        gets = requests("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000001234\r\n");
        pushes = requests("*3\r\n$5\r\nLPUSH\r\n$6\r\nmylist\r\n$3\r\nxxx\r\n");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gets.release();
        pushes.release();
        channel.finishAndReleaseAll();
    }

    private static ByteBuf requests(String request) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer();
        for (int i = 0; i < PIPELINE; i++) {
            buffer.writeCharSequence(request, StandardCharsets.US_ASCII);
        }
        return buffer;
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void get(Blackhole consumed) {
        decode(gets, consumed);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void lpush(Blackhole consumed) {
        decode(pushes, consumed);
    }

    private void decode(ByteBuf requests, Blackhole consumed) {
        channel.writeInbound(requests.retainedDuplicate());
        Object request;
        while ((request = channel.readInbound()) != null) {
            consumed.consume(request);
        }
    }
}
