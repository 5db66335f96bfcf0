package io.postbox.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postbox.persistence.ThisThread;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AofWriterTest {

    /** Numbers of Linux's scheduling policies (sched.h), as /proc shows a thread's. */
    private static final String SCHED_OTHER = "0";
    private static final String SCHED_BATCH = "3";
    /** The scheduling policy's field in /proc/thread-self/stat. */
    private static final int POLICY = 41;

    @TempDir
    Path dir;

    /**
     * After a failed fsync the kernel may have dropped the pages it could not write: the model here
     * keeps only what the last good fsync made durable. A retried fsync alone would then succeed
     * without the batch, and its reply would go out.
     */
    @Test
    void withAlwaysABatchWhoseFsyncFailedIsWrittenAgainBeforeItIsAcknowledged() throws Exception {
        Path file = dir.resolve("appendonly.aof.1.incr.aof");
        LosingChannel channel = new LosingChannel(AofWriter.open(file));
        BlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        // When the writer thread reported, not when this thread got to look: a slow machine may delay the latter.
        AtomicLong failedAt = new AtomicLong();
        AtomicLong lastAcknowledgedAt = new AtomicLong();
        AofWriter writer = new AofWriter(channel, offset -> {
            lastAcknowledgedAt.set(System.nanoTime());
            durable.add(offset);
        }, error -> {
            if (error != null) {
                failedAt.compareAndSet(0, System.nanoTime());
            }
            errors.add(error == null ? "recovered" : error);
        });
        byte[] first = command("LPUSH", "q", "1");
        byte[] second = command("LPUSH", "q", "2");

        writer.submit(new AofWriter.Append(first, 1, AofWriter.Fsync.ALWAYS));
        assertEquals(1, durable.poll(10, TimeUnit.SECONDS));

        channel.failNextForce.set(1);
        writer.submit(new AofWriter.Append(second, 2, AofWriter.Fsync.ALWAYS));
        assertEquals("Input/output error", errors.poll(10, TimeUnit.SECONDS));
        // The retry, a second later, writes the batch again and fsyncs it; only then is it acknowledged.
        assertEquals(2, durable.poll(10, TimeUnit.SECONDS));
        assertTrue(lastAcknowledgedAt.get() - failedAt.get() >= TimeUnit.MILLISECONDS.toNanos(500),
                "acknowledged after a failed fsync, before the retry");
        assertEquals("recovered", errors.poll(10, TimeUnit.SECONDS));
        assertArrayEquals(concat(first, second), Files.readAllBytes(file));
        closeAndCheck(writer);
    }

    @Test
    void withEverysecAFailedFsyncIsReportedAndRetriedAlone() throws Exception {
        Path file = dir.resolve("appendonly.aof.1.incr.aof");
        LosingChannel channel = new LosingChannel(AofWriter.open(file));
        BlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        AofWriter writer = new AofWriter(channel, durable::add,
                error -> errors.add(error == null ? "recovered" : error));
        channel.failNextForce.set(1);
        byte[] only = command("LPUSH", "q", "1");
        writer.submit(new AofWriter.Append(only, 1, AofWriter.Fsync.EVERYSEC));
        // Acknowledged once written, as Redis replies after its write(); the fsync comes within a second.
        assertEquals(1, durable.poll(10, TimeUnit.SECONDS));
        assertEquals("Input/output error", errors.poll(10, TimeUnit.SECONDS));
        assertEquals("recovered", errors.poll(10, TimeUnit.SECONDS));
        assertTrue(channel.forces.get() >= 2, "fsyncs: " + channel.forces.get());
        closeAndCheck(writer);
    }

    /** Its wake-ups preempt the executor only when they release replies held for an fsync (see AofWriter). */
    @Test
    void theWriterThreadRunsInSchedBatchUnlessEveryWriteWaitsForItsFsync() throws Exception {
        assumeTrue(ThisThread.isOnLinux(), "Linux only");
        assumeTrue(ThisThread.toolRuns("chrt", "--version"), "util-linux chrt is not installed");
        BlockingQueue<String> policy = new LinkedBlockingQueue<>();
        AofWriter writer = new AofWriter(dir.resolve("appendonly.aof.1.incr.aof"),
                batch -> policy.add(ThisThread.statField(POLICY)), error -> { });
        writer.submit(new AofWriter.Append(command("LPUSH", "q", "1"), 1, AofWriter.Fsync.NO));
        assertEquals(SCHED_BATCH, policy.poll(10, TimeUnit.SECONDS));
        writer.submit(new AofWriter.Append(command("LPUSH", "q", "2"), 2, AofWriter.Fsync.ALWAYS));
        assertEquals(SCHED_OTHER, policy.poll(10, TimeUnit.SECONDS));
        writer.submit(new AofWriter.Append(command("LPUSH", "q", "3"), 3, AofWriter.Fsync.EVERYSEC));
        assertEquals(SCHED_BATCH, policy.poll(10, TimeUnit.SECONDS));
        closeAndCheck(writer);
    }

    private static void closeAndCheck(AofWriter writer) throws InterruptedException {
        BlockingQueue<Boolean> closed = new LinkedBlockingQueue<>();
        writer.submit(new AofWriter.Close(() -> closed.add(true)));
        assertEquals(true, closed.poll(10, TimeUnit.SECONDS));
        assertNull(writer.closeError());
    }

    private static byte[] command(String... words) {
        StringBuilder resp = new StringBuilder("*" + words.length + "\r\n");
        for (String word : words) {
            resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * A file whose fsync fails when told to, losing what was written since the last good one (the
     * file is cut back to it), as a disk that failed its writeback may have.
     */
    private static final class LosingChannel extends FileChannel {
        final FileChannel file;
        final AtomicInteger failNextForce = new AtomicInteger();
        final AtomicInteger forces = new AtomicInteger();
        private long durableSize;

        LosingChannel(FileChannel file) throws IOException {
            this.file = file;
            this.durableSize = file.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forces.incrementAndGet();
            if (failNextForce.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                file.truncate(durableSize);
                throw new IOException("Input/output error");
            }
            file.force(metaData);
            durableSize = file.size();
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            return file.write(sources, offset, length);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return file.write(source);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            durableSize = Math.min(durableSize, size);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            return file.read(target);
        }

        @Override
        public long read(ByteBuffer[] targets, int offset, int length) throws IOException {
            return file.read(targets, offset, length);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long position) throws IOException {
            file.position(position);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            return file.transferFrom(source, position, count);
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return file.read(target, position);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return file.write(source, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
