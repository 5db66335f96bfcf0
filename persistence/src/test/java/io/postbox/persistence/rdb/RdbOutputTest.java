package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.postbox.commands.lists.PackedList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RdbOutputTest {

    private static byte[] encode(RdbOutput out) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SegmentEncoder encoder = new SegmentEncoder(file::write);
        for (Object segment : out.drain()) {
            encoder.encode(segment);
        }
        return file.toByteArray();
    }

    @Test
    void copiedStringsAreWrittenAsOwnedOnesAre() throws IOException {
        Random random = new Random(5);
        for (boolean compression : new boolean[] {true, false}) {
            for (int length : new int[] {7, 20, 21, 500, 1024, 1025, 9000, BufferPool.BUFFER_BYTES, BufferPool.BUFFER_BYTES + 1}) {
                byte[] buffer = new byte[length + 50];
                for (int i = 0; i < length; i++) {
                    buffer[i] = (byte) (i % 7 == 0 ? random.nextInt(256) : 'a' + i % 3);
                }
                RdbOutput owned = new RdbOutput(compression);
                owned.writeByte(1).writeString(Arrays.copyOf(buffer, length)).writeByte(2);
                RdbOutput copied = new RdbOutput(compression);
                copied.writeByte(1).writeCopyOf(buffer, length).writeByte(2);
                Arrays.fill(buffer, (byte) 0);
                assertArrayEquals(encode(owned), encode(copied), "length " + length + ", compression " + compression);
            }
        }
    }

    @Test
    void arraysLeftToTheEncoderGoBackToThePoolOnceWritten() throws IOException {
        BufferPool pool = new BufferPool();
        RdbOutput out = new RdbOutput(true, pool);
        byte[] node = new byte[9000];
        out.writeCopyOf(node, node.length);
        out.writeCopyOf(node, node.length);
        assertEquals(0, pool.freeCount());
        encode(out);
        assertEquals(2, pool.freeCount());
        out.writeCopyOf(node, node.length);
        assertEquals(1, pool.freeCount(), "the next string reuses a returned array");
    }

    @Test
    void fullBlocksGoBackToThePoolAndTheBytesComeOutInOrder() throws IOException {
        BufferPool pool = new BufferPool();
        RdbOutput out = new RdbOutput(false, pool);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 5 * BufferPool.BUFFER_BYTES + 3000; i++) {
            out.writeByte(i * 31);
            expected.write(i * 31);
        }
        assertArrayEquals(expected.toByteArray(), encode(out));
        assertEquals(5, pool.freeCount(), "the five full blocks are back; the short last one was copied out and kept");
        out.writeByte(1);
        assertEquals(5, pool.freeCount(), "the kept block takes the next bytes");
    }

    @Test
    void poolKeepsOnlyItsOwnSizeAndAtMostItsLimit() {
        BufferPool pool = new BufferPool();
        byte[] first = pool.take(100);
        assertEquals(BufferPool.BUFFER_BYTES, first.length);
        pool.give(first);
        assertSame(first, pool.take(BufferPool.BUFFER_BYTES));
        byte[] large = pool.take(BufferPool.BUFFER_BYTES + 1);
        assertEquals(BufferPool.BUFFER_BYTES + 1, large.length);
        pool.give(large);
        assertEquals(0, pool.freeCount(), "an array of another size is left to the collector");
        for (int i = 0; i < BufferPool.MAX_BUFFERS + 10; i++) {
            pool.give(new byte[BufferPool.BUFFER_BYTES]);
        }
        assertEquals(BufferPool.MAX_BUFFERS, pool.freeCount());
    }

    @Test
    void listNodesEncodedFromAFrozenCopyAreTheBytesEncodedInPlace() throws IOException {
        Random random = new Random(11);
        PackedList list = new PackedList();
        for (int i = 0; i < 20_000; i++) {
            int kind = random.nextInt(10);
            byte[] element = kind < 3 ? Long.toString(random.nextLong() >> random.nextInt(64)).getBytes()
                    : kind < 9 ? ("message-" + i).getBytes()
                    : new byte[kind == 9 && i % 50 == 0 ? 20_000 : random.nextInt(2000)];
            list.push(random.nextBoolean() ? PackedList.End.HEAD : PackedList.End.TAIL, element);
        }
        for (boolean compression : new boolean[] {true, false}) {
            RdbOutput inPlace = new RdbOutput(compression);
            inPlace.writeByte(1);
            Listpack.Builder listpack = new Listpack.Builder();
            PackedList.ChunkCursor cursor = list.chunkCursor(0);
            while (cursor.visitNext(listpack::add)) {
                inPlace.writeLength(RdbFormat.QUICKLIST_NODE_PACKED);
                listpack.writeTo(inPlace);
            }
            inPlace.writeByte(2);
            RdbOutput handedOver = new RdbOutput(compression);
            handedOver.writeByte(1).writeNodesOf(list.copy()).writeByte(2);
            assertArrayEquals(encode(inPlace), encode(handedOver), "compression " + compression);
        }
    }
}
